# Sourced from the project root by Java benchmark scripts: compiles the thumbnails module and its tests (offline)
# and sets bench_cp to the classpath that runs them.
./mvnw -o -q -pl functions/thumbnails -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/thumbnails-bench.classpath -Dmdep.includeScope=test >/dev/null
bench_cp="functions/thumbnails/target/test-classes:functions/thumbnails/target/classes:$(cat functions/thumbnails/target/thumbnails-bench.classpath)"
