package io.mediasuite.tests.site;

import io.mediasuite.local.LocalCloud;
import io.mediasuite.local.LocalSuite;
import io.mediasuite.local.SiteSync;
import io.mediasuite.local.emulator.Emulators;
import io.mediasuite.local.emulator.ProjectLayout;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The whole local suite of the project's template, as {@code start-api --port 0 --sync-site site} runs it: every
 * API, every event source and the local CloudFront edge, with the sample site deployed into its buckets. One per
 * test run, shared by the site's test classes (starting it costs tens of seconds) and stopped after the last one.
 * Its own stack name, so nothing it does reaches other tests' resources.
 */
final class SiteSuite implements AutoCloseable {

    static final String STACK = "site-suite";
    /** Invalidations complete this long after they are created (CloudFront takes tens of seconds). */
    static final Duration INVALIDATION_TIME = Duration.ofMillis(500);

    private final LocalCloud cloud;
    private final LocalSuite suite;
    private final S3Client s3;

    private SiteSuite(LocalCloud cloud, LocalSuite suite, S3Client s3) {
        this.cloud = cloud;
        this.suite = suite;
        this.s3 = s3;
    }

    private static SiteSuite start() {
        LocalCloud cloud = LocalCloud.start(ProjectLayout.root().resolve("template.yaml"), Emulators.shared(), STACK,
                Map.of());
        cloud.cloudFront().completionTime(INVALIDATION_TIME);
        Map<String, String> env = cloud.emulators().environment();
        S3Client s3 = SiteSync.s3Client(URI.create(env.get("AWS_ENDPOINT_URL_S3")), env.get("AWS_REGION"), env);
        LocalSuite suite = null;
        try {
            suite = LocalSuite.start(cloud, (Path) null, "127.0.0.1", 0, 0);
            new SiteSync(s3, cloud.physicalId("SiteBucket"), cloud.physicalId("ImagesBucket")).sync(SampleSite.DIR);
            return new SiteSuite(cloud, suite, s3);
        } catch (RuntimeException | Error e) {
            if (suite != null) {
                suite.close();
            }
            cloud.close();
            s3.close();
            throw e;
        }
    }

    LocalCloud cloud() {
        return cloud;
    }

    S3Client s3() {
        return s3;
    }

    /** The local CloudFront edge, e.g. {@code http://127.0.0.1:41234/}. */
    URI edge() {
        return URI.create(suite.edgeEndpoint() + "/");
    }

    @Override
    public void close() {
        try {
            suite.close();
        } finally {
            cloud.close();
            s3.close();
        }
    }

    /** Gives test classes the run's suite ({@code @ExtendWith(SiteSuite.Resolver.class)}, a parameter). */
    static final class Resolver implements ParameterResolver {

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            return parameter.getParameter().getType() == SiteSuite.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            // The root store closes what it holds (AutoCloseable) when the whole run ends.
            return context.getRoot().getStore(ExtensionContext.Namespace.create(SiteSuite.class))
                    .getOrComputeIfAbsent(SiteSuite.class, key -> start(), SiteSuite.class);
        }
    }
}
