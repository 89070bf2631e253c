# Sourced by scripts that run Java programs from Maven Central jars (scripts/kafka.sh,
# bench/peer/setup.sh). The caller defines fail() (its own message prefix) and JAVA.

# need_java WHAT: Java 17 or newer, or a clear error naming what needs it.
need_java() {
  command -v "$JAVA" >/dev/null || fail "Expected Java 17+ on PATH or in JAVA_HOME for $1 (found none). Install a JDK 17+, e.g. apt-get install openjdk-17-jre-headless"
  local version
  version=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
  [ "${version:-0}" -ge 17 ] || fail "Expected Java 17 or newer for $1 (found Java ${version:-unknown} at $(command -v "$JAVA"))"
}

# resolve_jars POM DIR WHAT: the runtime jars of POM copied from Maven Central into DIR, once (again
# when the POM changes).
resolve_jars() {
  local pom=$1 dir=$2 what=$3
  if [ -f "$dir/.resolved" ] && [ "$dir/.resolved" -nt "$pom" ]; then return; fi
  command -v mvn >/dev/null || fail "Expected Maven (mvn) on PATH to fetch $what from Maven Central (found none). Install it, e.g. apt-get install maven"
  echo "resolving $what from Maven Central into ${dir#"$PWD"/}" >&2
  rm -rf "$dir"
  mvn -B -q -f "$pom" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$dir" >&2 || fail "Maven could not resolve $pom (see its output above)"
  touch "$dir/.resolved"
}
