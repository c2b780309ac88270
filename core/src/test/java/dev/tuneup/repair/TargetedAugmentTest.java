package dev.tuneup.repair;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.tuneup.augment.AugmentSpec;
import dev.tuneup.evaluate.Corruption;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every corruption has an op, and every op parses in the augmentation language. */
class TargetedAugmentTest {
    @Test
    void everyCorruptionMapsToAParsableOp() {
        for (Corruption c : Corruption.values()) {
            AugmentSpec.parse(TargetedAugment.op(c.id())); // throws on a bad spec
        }
        String spec = TargetedAugment.spec("crop(32,pad=4) | hflip", List.of("contrast", "fog", "gaussian_noise",
                "shot_noise"));
        assertEquals("crop(32,pad=4) | hflip | colorjitter(contrast=0.8,p=0.8) | colorjitter(contrast=0.8,brightness=0.3,"
                + "p=0.8) | noise(std=0.08,p=0.5)", spec);
        AugmentSpec.parse(spec);
        String replayed = TargetedAugment.spec("hflip", List.of("invert"), 0.25);
        assertEquals("hflip | replay(p=0.25) | invert(p=0.2)", replayed);
        assertEquals(replayed, AugmentSpec.parse(replayed).toString(), "canonical");
        assertThrows(IllegalArgumentException.class, () -> TargetedAugment.spec("", List.of("invert"), 1.0));
        String jsd = TargetedAugment.consistency("hflip", List.of("invert", "contrast"), 12);
        assertEquals("hflip | jsd(weight=12) | invert(p=0.2) | colorjitter(contrast=0.8,p=0.8)", jsd);
        assertEquals("hflip", AugmentSpec.parse(jsd).pipeline().views().clean().toString());
        assertThrows(IllegalArgumentException.class, () -> TargetedAugment.op("snow"));
    }
}
