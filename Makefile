# `make` builds everything the launchers (./raftkv, ./3700kvstore) need; `make test` runs the tests.
# Maven finds a JDK >= 21 by itself (toolchain discovery), so no JAVA_HOME is needed.
MVNW := ./mvnw -B -q

.PHONY: all build test clean jdk
all: build

build: jdk
	$(MVNW) -DskipTests install

# The unit, simulation and checker tests, then one course-simulator config of each category in
# both generations against the real ./3700kvstore (about 6 minutes: each run lasts 35 s).
CS3700_SAMPLE := simple-1 unreliable-1 crash-1 partition-1 advanced-1

test: jdk
	./mvnw -B install
	./raftkv cs3700 $(CS3700_SAMPLE)

# Fails with a clear message when this machine has no JDK >= 21.
jdk:
	@bin/find-jdk >/dev/null

clean:
	$(MVNW) clean
