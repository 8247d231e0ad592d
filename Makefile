# `make` builds everything the launchers (./raftkv, ./3700kvstore) need; `make test` runs the tests.
# Maven finds a JDK >= 21 by itself (toolchain discovery), so no JAVA_HOME is needed.
MVNW := ./mvnw -B -q

.PHONY: all build test clean
all: build

build:
	$(MVNW) -DskipTests install

test:
	./mvnw -B verify

clean:
	$(MVNW) clean
