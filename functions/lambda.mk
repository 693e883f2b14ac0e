# Shared by every function module's Makefile (Metadata: BuildMethod: makefile in template.yaml).
#
# `sam build` copies the module folder to a scratch directory and runs
#   make --makefile <module>/Makefile build-<LogicalId>
# there, with ARTIFACTS_DIR set. A module has a parent pom, so building the copy on its own fails
# ("Non-resolvable parent POM", aws-sam-cli#2289). Instead we locate the real module through the makefile's own
# path, build it through the root pom, and copy the packaged function into ARTIFACTS_DIR in the layout Lambda's
# Java runtime loads: classes at the root, dependencies in lib/.
#
# Several functions share a module and SAM runs make once per function: the packaged module is a make target
# of its own, rebuilt only when a source or pom it is made from is newer, so the Maven build runs once.

MODULE_DIR := $(patsubst %/,%,$(dir $(abspath $(firstword $(MAKEFILE_LIST)))))
ROOT_DIR   := $(abspath $(MODULE_DIR)/../..)
MODULE     := $(notdir $(MODULE_DIR))
MVN        ?= $(ROOT_DIR)/mvnw
MVN_FLAGS  ?= -q -DskipTests -Dsam-local.jar.phase=none
PACKAGED   := $(MODULE_DIR)/target/$(MODULE)-lambda.zip
INPUTS     := $(ROOT_DIR)/pom.xml $(ROOT_DIR)/functions/lambda-assembly.xml $(MODULE_DIR)/pom.xml \
              $(ROOT_DIR)/functions/common/pom.xml \
              $(shell find "$(MODULE_DIR)/src/main" "$(ROOT_DIR)/functions/common/src/main" -type f 2>/dev/null)

$(PACKAGED): $(INPUTS)
	@test -f "$(ROOT_DIR)/pom.xml" || { echo "no pom.xml at $(ROOT_DIR): SAM CLI must pass --makefile (SAM CLI >= 1.60)" >&2; exit 1; }
	"$(MVN)" -f "$(ROOT_DIR)/pom.xml" -pl functions/$(MODULE) -am $(MVN_FLAGS) package

build-%: $(PACKAGED)
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set" >&2; exit 1; }
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -R "$(MODULE_DIR)/target/$(MODULE)-lambda/." "$(ARTIFACTS_DIR)/"
