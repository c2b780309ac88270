package dev.tuneup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One key style for every file: snake_case out; files from before it (camelCase) still read; typos still fail. */
class JsonFilesTest {
    record Position(long bestStep, double lossSum, Map<String, Integer> perClass) {
    }

    @Test
    void writesSnakeCaseButLeavesMapKeysAlone() throws Exception {
        String json = JsonFiles.MAPPER.writeValueAsString(new Position(7, 1.5, Map.of("TShirt", 3)));
        assertEquals("{\n  \"best_step\" : 7,\n  \"loss_sum\" : 1.5,\n  \"per_class\" : {\n    \"TShirt\" : 3\n  }\n}", json);
        assertEquals(new Position(7, 1.5, Map.of("TShirt", 3)), JsonFiles.read(bytes(json), Position.class));
    }

    @Test
    void readsTheCamelCaseFilesOfOlderVersions() throws Exception {
        assertEquals(new Position(7, 1.5, Map.of()),
                JsonFiles.read(bytes("{\"bestStep\":7,\"lossSum\":1.5,\"perClass\":{}}"), Position.class));
    }

    @Test
    void anUnknownKeyIsStillAnError() {
        assertThrows(java.io.IOException.class,
                () -> JsonFiles.read(bytes("{\"best_step\":7,\"loss_summ\":1.5,\"per_class\":{}}"), Position.class));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
