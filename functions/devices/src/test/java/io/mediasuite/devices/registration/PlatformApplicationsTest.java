package io.mediasuite.devices.registration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.ConfigReader;
import io.mediasuite.common.Env;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformApplicationsTest {

    private static final Map<String, String> VALID = Map.of(
            PlatformApplications.APNS_VARIABLE, "arn:aws:sns:eu-west-1:123456789012:app/APNS/media",
            PlatformApplications.APNS_SANDBOX_VARIABLE, "arn:aws:sns:eu-west-1:123456789012:app/APNS_SANDBOX/media-dev",
            PlatformApplications.FCM_VARIABLE, "arn:aws:sns:eu-west-1:123456789012:app/GCM/media");

    @Test
    void from_shouldMapEachPlatformToItsApplication_whenTheArnsAreValid() {
        // given / when
        PlatformApplications applications = PlatformApplications.from(new ConfigReader(Env.of(VALID)));

        // then
        assertEquals("arn:aws:sns:eu-west-1:123456789012:app/GCM/media", applications.arnFor(Platform.FCM));
        assertTrue(applications.ownsEndpoint(Platform.APNS, "arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/media/1"));
        assertFalse(applications.ownsEndpoint(Platform.APNS, "arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/media-dev/1"));
        assertFalse(applications.ownsEndpoint(Platform.APNS, "arn:aws:sns:eu-west-1:123456789012:endpoint/APNS/media/"));
        assertEquals(Optional.of(Platform.APNS_SANDBOX),
                applications.platformOf("arn:aws:sns:eu-west-1:123456789012:endpoint/APNS_SANDBOX/media-dev/x"));
        assertEquals(Optional.empty(), applications.platformOf("arn:aws:sns:eu-west-1:123456789012:endpoint/GCM/other/x"));
    }

    @Test
    void from_shouldFailNamingTheVariable_whenAnArnIsMissingOrOfTheWrongPlatform() {
        // given
        Map<String, String> missing = new HashMap<>(VALID);
        missing.remove(PlatformApplications.FCM_VARIABLE);
        Map<String, String> swapped = new HashMap<>(VALID);
        swapped.put(PlatformApplications.APNS_VARIABLE, VALID.get(PlatformApplications.APNS_SANDBOX_VARIABLE));

        // when / then
        assertEquals(PlatformApplications.FCM_VARIABLE, assertThrows(ConfigException.class,
                () -> PlatformApplications.from(new ConfigReader(Env.of(missing)))).variable());
        assertEquals(PlatformApplications.APNS_VARIABLE, assertThrows(ConfigException.class,
                () -> PlatformApplications.from(new ConfigReader(Env.of(swapped)))).variable());
    }
}
