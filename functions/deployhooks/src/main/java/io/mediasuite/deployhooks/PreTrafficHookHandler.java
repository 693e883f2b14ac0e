package io.mediasuite.deployhooks;

import com.amazonaws.services.lambda.runtime.Context;
import io.mediasuite.common.AwsClients;
import io.mediasuite.common.Env;
import io.mediasuite.common.EventHandler;
import software.amazon.awssdk.services.codedeploy.CodeDeployClient;
import software.amazon.awssdk.services.lambda.LambdaClient;

/**
 * The CodeDeploy {@code BeforeAllowTraffic} (PreTraffic) hook of one function: invokes the version being
 * deployed with the smoke test named by {@code SMOKE_TEST} and reports Succeeded or Failed to CodeDeploy.
 * Configuration: {@link HookConfig}, plus what the chosen smoke test reads (see {@link SmokeTests}).
 *
 * <p>CodeDeploy invokes hooks unqualified ($LATEST), so hooks publish no version and use no SnapStart.
 */
public final class PreTrafficHookHandler extends EventHandler<LifecycleEvent, PreTrafficHook.Outcome> {

    private final PreTrafficHook hook;

    public PreTrafficHookHandler() {
        this(Env.current());
    }

    /** Wires real clients and configuration from {@code env}. */
    public PreTrafficHookHandler(Env env) {
        this(hookFrom(env));
    }

    public PreTrafficHookHandler(PreTrafficHook hook) {
        super(LifecycleEvent.class);
        this.hook = hook;
    }

    static PreTrafficHook hookFrom(Env env) {
        HookConfig config = HookConfig.from(env);
        AwsClients clients = new AwsClients(env);
        SmokeTest smokeTest = SmokeTests.create(config.smokeTest(), env, clients);
        return new PreTrafficHook(smokeTest,
                new TargetVersion(clients.build(LambdaClient.builder(), "LAMBDA"), config.targetVersionArn()),
                new DeploymentReporter(clients.build(CodeDeployClient.builder(), "CODEDEPLOY")));
    }

    @Override
    protected PreTrafficHook.Outcome handle(LifecycleEvent event, Context context) {
        return hook.run(event);
    }
}
