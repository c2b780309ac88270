package dev.tuneup.evaluate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tuneup.TuneupException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names, lists and severities as users type them. */
class CorruptionParseTest {
    @Test
    void allAndListsParse() {
        assertEquals(List.of(Corruption.values()), Corruption.parse("all"));
        assertEquals(List.of(Corruption.values()), Corruption.parse(" ALL "));
        assertEquals(18, Corruption.values().length);
        assertEquals(List.of(Corruption.FOG, Corruption.GAUSSIAN_NOISE, Corruption.JPEG_COMPRESSION),
                Corruption.parse("fog, Gaussian-Noise,jpeg_compression,fog,"));
        for (Corruption c : Corruption.values()) {
            assertEquals(c, Corruption.byId(c.id()));
            assertFalse(c.parameters().isBlank());
        }
    }

    @Test
    void unknownNamesSuggestTheClosest() {
        TuneupException e = assertThrows(TuneupException.class, () -> Corruption.parse("fog,gausian_nois"));
        assertEquals("unknown corruption 'gausian_nois'; did you mean gaussian_noise?", e.getMessage());
        assertTrue(e.fix().contains("'all' or a comma list of: gaussian_noise, shot_noise"), e.fix());
        assertTrue(assertThrows(TuneupException.class, () -> Corruption.byId("jpeg")).getMessage()
                .endsWith("did you mean jpeg_compression?"));
        TuneupException far = assertThrows(TuneupException.class, () -> Corruption.parse("snowstorm_at_night"));
        assertFalse(far.getMessage().contains("did you mean"), far.getMessage());
        assertThrows(TuneupException.class, () -> Corruption.parse(" , "));
        assertThrows(TuneupException.class, () -> Corruption.parse(""));
    }

    @Test
    void severitiesParseAsRangesAndLists() {
        assertEquals(List.of(1, 2, 3, 4, 5), Corruptions.parseSeverities("1-5"));
        assertEquals(List.of(3), Corruptions.parseSeverities("3"));
        assertEquals(List.of(1, 3, 4, 5), Corruptions.parseSeverities("5,1, 3-4"));
        for (String bad : new String[] {"0-5", "6", "x", "4-2", ""}) {
            assertThrows(TuneupException.class, () -> Corruptions.parseSeverities(bad), bad);
        }
    }

    @Test
    void invertHasOneLevel() {
        assertEquals(1, Corruption.INVERT.levels());
        assertEquals(List.of(2), CorruptionWriter.severities(Corruption.INVERT, List.of(2, 3)));
        assertEquals(List.of(2, 3), CorruptionWriter.severities(Corruption.FOG, List.of(2, 3)));
    }
}
