package io.mediasuite.deployhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.mediasuite.common.ConfigException;
import io.mediasuite.common.Env;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HookConfigTest {

    private static final String VERSION_ARN = "arn:aws:lambda:eu-west-1:123456789012:function:media-suite-prod-Thumbnail-AbC:12";

    @Test
    void from_shouldReadTheTargetAndSmokeTest_whenBothAreValid() {
        // when
        HookConfig config = HookConfig.from(Env.of(Map.of("TARGET_VERSION_ARN", VERSION_ARN, "SMOKE_TEST", "thumbnail")));

        // then
        assertEquals(VERSION_ARN, config.targetVersionArn());
        assertEquals("thumbnail", config.smokeTest());
    }

    @Test
    void from_shouldNameTheVariable_whenTheTargetIsNotAPublishedVersion() {
        // given: the function, its alias and $LATEST are not the version being deployed
        for (String arn : new String[] {"arn:aws:lambda:eu-west-1:123456789012:function:fn",
                "arn:aws:lambda:eu-west-1:123456789012:function:fn:live", "arn:aws:lambda:eu-west-1:123456789012:function:fn:$LATEST"}) {
            // when
            ConfigException error = assertThrows(ConfigException.class,
                    () -> HookConfig.from(Env.of(Map.of("TARGET_VERSION_ARN", arn, "SMOKE_TEST", "thumbnail"))));

            // then
            assertEquals("TARGET_VERSION_ARN", error.variable(), arn);
        }
    }

    @Test
    void from_shouldNameTheVariable_whenTheSmokeTestIsMissingOrUnknown() {
        // given
        Map<String, String> env = new HashMap<>(Map.of("TARGET_VERSION_ARN", VERSION_ARN));

        // when / then
        assertEquals("SMOKE_TEST", assertThrows(ConfigException.class, () -> HookConfig.from(Env.of(env))).variable());
        env.put("SMOKE_TEST", "nothing");
        assertEquals("SMOKE_TEST", assertThrows(ConfigException.class, () -> HookConfig.from(Env.of(env))).variable());
    }
}
