package io.mediasuite.tests;

import static io.mediasuite.local.template.SamTemplate.list;
import static io.mediasuite.local.template.SamTemplate.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mediasuite.local.template.CfnYaml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pipeline.yaml: lint-clean, and the release path it promises: source, build and test, staging, prod. */
class PipelineTemplateTest {

    private static final Path PIPELINE = Project.ROOT.resolve("pipeline.yaml");

    @Test
    void cfnLint_shouldReportNothing_whenRunOnThePipeline(@TempDir Path dir) throws Exception {
        // given
        Path log = dir.resolve("cfn-lint.txt");

        // when
        Process lint = new ProcessBuilder("cfn-lint", PIPELINE.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();

        // then
        assertTrue(lint.waitFor(3, TimeUnit.MINUTES), "cfn-lint timed out");
        assertEquals(0, lint.exitValue(), "cfn-lint pipeline.yaml:\n" + Files.readString(log));
    }

    @Test
    void pipeline_shouldBuildThenDeployStagingThenProd_whenItRuns() throws Exception {
        // given
        Map<String, Object> resources = map(CfnYaml.load(PIPELINE).get("Resources"));
        Map<String, Object> pipeline = map(map(resources.get("Pipeline")).get("Properties"));

        // when
        List<String> stages = new ArrayList<>();
        List<String> deployEnvironments = new ArrayList<>();
        for (Object stage : list(pipeline.get("Stages"))) {
            stages.add(String.valueOf(map(stage).get("Name")));
            for (Object action : list(map(stage).get("Actions"))) {
                Map<String, Object> configuration = map(map(action).get("Configuration"));
                if (map(configuration.get("ProjectName")).equals(Map.of("Ref", "DeployProject"))) {
                    deployEnvironments.add(String.valueOf(configuration.get("EnvironmentVariables")));
                }
            }
        }
        String deploySpec = String.valueOf(map(map(map(resources.get("DeployProject")).get("Properties")).get("Source"))
                .get("BuildSpec"));
        String buildSpec = Files.readString(Project.ROOT.resolve("buildspec.yml"));

        // then
        assertEquals(List.of("Source", "BuildAndTest", "Staging", "Prod"), stages);
        assertEquals(2, deployEnvironments.size(), deployEnvironments.toString());
        assertTrue(deployEnvironments.get(0).contains("\"value\":\"staging\""), deployEnvironments.get(0));
        assertTrue(deployEnvironments.get(1).contains("\"value\":\"prod\""), deployEnvironments.get(1));
        assertTrue(deploySpec.contains("sam deploy --config-env \"$CONFIG_ENV\" --template-file packaged.yaml"), deploySpec);
        for (String step : List.of("./mvnw -B verify", "sam build", "sam package", "packaged.yaml")) {
            assertTrue(buildSpec.contains(step), "buildspec.yml does not run " + step);
        }
        String samconfig = Files.readString(Project.ROOT.resolve("samconfig.toml"));
        assertTrue(samconfig.contains("[staging.deploy.parameters]") && samconfig.contains("[prod.deploy.parameters]"));
    }

    @Test
    void s3Source_shouldStartThePipelineOnPutCopyAndMultipartUploads_whenTheZipChanges() {
        // given
        Map<String, Object> resources = map(CfnYaml.load(PIPELINE).get("Resources"));

        // when
        Map<String, Object> pattern = map(map(map(resources.get("SourceChangedRule")).get("Properties")).get("EventPattern"));
        Map<String, Object> bucket = map(map(resources.get("SourceBucket")).get("Properties"));

        // then: S3's own EventBridge events, every way an object is written, for the source key only
        assertEquals(List.of("aws.s3"), pattern.get("source"));
        assertEquals(List.of("Object Created"), pattern.get("detail-type"));
        List<Object> reasons = list(map(pattern.get("detail")).get("reason"));
        assertTrue(reasons.containsAll(List.of("PutObject", "CopyObject", "CompleteMultipartUpload")), reasons.toString());
        assertEquals(List.of(Map.of("Ref", "SourceObjectKey")), map(map(pattern.get("detail")).get("object")).get("key"));
        assertEquals(true, map(map(bucket.get("NotificationConfiguration")).get("EventBridgeConfiguration"))
                .get("EventBridgeEnabled"));
        assertEquals("Enabled", map(bucket.get("VersioningConfiguration")).get("Status"));
    }
}
