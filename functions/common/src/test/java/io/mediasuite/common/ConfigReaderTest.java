package io.mediasuite.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigReaderTest {

    @Test
    void integer_shouldUseTheDefault_whenTheVariableIsAbsentOrBlank() {
        // given
        ConfigReader config = new ConfigReader(Env.of(Map.of("BLANK", "  ")));

        // when / then
        assertEquals(7, config.integer("ABSENT", 7, 0, 10));
        assertEquals(7, config.integer("BLANK", 7, 0, 10));
    }

    @Test
    void integer_shouldNameTheVariable_whenTheValueIsNotANumber() {
        // given
        ConfigReader config = new ConfigReader(Env.of(Map.of("MAX_PIXELS", "lots")));

        // when
        ConfigException error = assertThrows(ConfigException.class, () -> config.integer("MAX_PIXELS", 1, 0, 10));

        // then
        assertEquals("MAX_PIXELS", error.variable());
        assertTrue(error.getMessage().contains("'lots'"), error.getMessage());
    }

    @Test
    void integer_shouldRejectTheValue_whenOutOfRange() {
        // given
        ConfigReader config = new ConfigReader(Env.of(Map.of("QUALITY", "101")));

        // when
        ConfigException error = assertThrows(ConfigException.class, () -> config.integer("QUALITY", 80, 1, 100));

        // then
        assertTrue(error.getMessage().contains("between 1 and 100"), error.getMessage());
    }

    @Test
    void required_shouldFailNamingTheVariable_whenMissing() {
        // given
        ConfigReader config = new ConfigReader(Env.of(Map.of()));

        // when
        ConfigException error = assertThrows(ConfigException.class, () -> config.required("DEVICES_TABLE"));

        // then
        assertEquals("DEVICES_TABLE", error.variable());
    }

    @Test
    void boolAndList_shouldParseCommonSpellings_whenSet() {
        // given
        ConfigReader config = new ConfigReader(Env.of(Map.of("ON", "Yes", "OFF", "0", "BAD", "maybe",
                "SIZES", " 400x300, ,200x200 ")));

        // when / then
        assertTrue(config.bool("ON", false));
        assertFalse(config.bool("OFF", true));
        assertThrows(ConfigException.class, () -> config.bool("BAD", true));
        assertEquals(List.of("400x300", "200x200"), config.list("SIZES", List.of()));
    }
}
