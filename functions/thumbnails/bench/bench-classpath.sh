# Sourced by the benchmark scripts: compiles the thumbnails module and its tests (offline, quietly), changes to the
# project root and sets `cp` to the test classpath and JAVA_HOME to the project's JDK unless set.
# Expects `root` (the project root).
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
cd "$root"
./mvnw -o -q -pl functions/thumbnails -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/thumbnails-bench.classpath -Dmdep.includeScope=test >/dev/null
cp="functions/thumbnails/target/test-classes:functions/thumbnails/target/classes:$(cat functions/thumbnails/target/thumbnails-bench.classpath)"
