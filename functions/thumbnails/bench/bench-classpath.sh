# Sourced from the project root by Java benchmark scripts: compiles the thumbnails module and its tests (offline)
# and sets bench_cp to the classpath that runs them.
./mvnw -o -q -pl functions/thumbnails -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/thumbnails-bench.classpath -Dmdep.includeScope=test >/dev/null
bench_cp="functions/thumbnails/target/test-classes:functions/thumbnails/target/classes:$(cat functions/thumbnails/target/thumbnails-bench.classpath)"
# As the template's JAVA_TOOL_OPTIONS for the function: the Vector API module, for the resampler's row pass
# (HorizontalPass). The java launcher reads JDK_JAVA_OPTIONS, so every benchmark JVM started after this gets it.
export JDK_JAVA_OPTIONS="--add-modules=jdk.incubator.vector${JDK_JAVA_OPTIONS:+ $JDK_JAVA_OPTIONS}"
