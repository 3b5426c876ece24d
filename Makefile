# pmaudit — build, dependencies, tests, demo.
#
# Every .c file under etl/ rules/ (and its module directories) reports/ util/
# cmd/ is part of the binary, so adding a file or a rules/ module needs no
# Makefile edit. Objects go to $(O)/ so that
# several builds (plain, sanitizer) can live side by side.

CC      ?= gcc
O       ?= build
CFLAGS  ?= -O2 -g
override CFLAGS += -std=c17 -D_GNU_SOURCE -Wall -Wextra -I. -MMD -MP
LDLIBS  += -lcsv -lhpdf -lz -lxlsxwriter -lsqlite3 -lcrypto -lm -lpthread

LIB_SRCS := $(wildcard util/*.c db/*.c etl/*.c rules/*.c rules/*/*.c reports/*.c)
CMD_SRCS := $(wildcard cmd/*.c)
LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
CMD_OBJS := $(CMD_SRCS:%.c=$(O)/%.o)
UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(UNIT_SRCS:tests/unit/%.c=$(O)/tests/%)
TOOL_SRCS := $(wildcard tools/*.c)
TOOL_BINS := $(TOOL_SRCS:tools/%.c=$(O)/%)
# Fuzz targets (docs/fuzzing.md): each built twice, with libFuzzer for
# `make fuzz` and with the replay driver for the regression inputs in e2e.
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(FUZZ_SRCS:tests/fuzz/%.c=%)
REPLAY_BINS := $(FUZZ_NAMES:%=$(O)/replay/%)
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer-no-link,address,undefined \
              -fno-sanitize-recover=all

# The Debian packages pmaudit needs to build, test and draw.
DEB_PKGS := gcc make pkg-config libsqlite3-dev sqlite3 libcsv-dev libhpdf-dev \
            libssl-dev gnuplot-nox fonts-wqy-zenhei libcmocka-dev poppler-utils \
            qpdf valgrind time python3 python3-openpyxl libxlsxwriter-dev clang libclang-rt-14-dev \
            gettext zlib1g-dev

# Message catalogues (docs/translating.md): po/LANG.po -> $(O)/locale/LANG/
# LC_MESSAGES/pmaudit.mo, where the binary looks first (util/i18n.c).
LINGUAS := zh_CN
MO_FILES := $(LINGUAS:%=$(O)/locale/%/LC_MESSAGES/pmaudit.mo)
# what xgettext collects: _() and N_(), pm_fail()'s format and those of the
# two parsers' helpers that hand theirs on (rules/ruleset/ruleset.c bad(), etl/map.c
# at()), the options' help
XGETTEXT_FLAGS := --from-code=UTF-8 --language=C --add-comments=TRANSLATORS: \
                  --keyword=_ --keyword=N_ --keyword=pm_fail:2 --flag=pm_fail:2:c-format \
                  --keyword=bad:4 --flag=bad:4:c-format --keyword=at:3 --flag=at:3:c-format \
                  --keyword=OPT_STRING:5 --keyword=OPT_INT:5 --keyword=OPT_FLAG:4 \
                  --keyword=OPT_GROUP:1 --package-name=pmaudit --msgid-bugs-address= \
                  --sort-by-file

.PHONY: all deps test unit e2e e2e-cover demo clean bench fuzz asan valgrind layering pot po-update print-xgettext-flags

all: pmaudit $(TOOL_BINS) $(MO_FILES)

$(O)/locale/%/LC_MESSAGES/pmaudit.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

# The template from the sources, then each catalogue merged with it: run
# both after changing a message, translate what msgmerge marks, commit.
pot:
	xgettext $(XGETTEXT_FLAGS) -o po/pmaudit.pot $(sort $(CMD_SRCS) $(LIB_SRCS))

# tests/e2e/t_i18n.sh collects the messages the same way
print-xgettext-flags:
	@echo '$(XGETTEXT_FLAGS)'

po-update: pot
	@for l in $(LINGUAS); do msgmerge --quiet --update --backup=none po/$$l.po po/pmaudit.pot; done

pmaudit: $(O)/pmaudit
	cp $< $@

$(O)/pmaudit: $(CMD_OBJS) $(LIB_OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LDLIBS)

$(O)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

# These embed their files with .incbin (the compiler cannot see that).
$(O)/rules/ruleset/builtin_rules.o: rules/default.rules
$(O)/rules/calendar/builtin_calendar.o: rules/calendar/cn-2024-2026.csv

$(O)/tests/%: tests/unit/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS) -lcmocka

# a libFuzzer binary (only under `make fuzz`: O=build-fuzz CC=clang)
$(O)/fuzz/%: tests/fuzz/%.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fsanitize=fuzzer -o $@ $(filter %.c %.o,$^) $(LDLIBS)

# fuzz_reader makes the source's reads short (see there)
$(O)/fuzz/fuzz_reader $(O)/replay/fuzz_reader: LDLIBS += -Wl,--wrap=read

# the same target with a plain main() that replays saved inputs
$(O)/replay/%: tests/fuzz/%.c tests/fuzz/replay.c $(LIB_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(filter %.c %.o,$^) $(LDLIBS)

$(O)/%: tools/%.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

# Installs what is missing (as root on Debian 12); a no-op when all is there.
deps:
	@missing=""; for p in $(DEB_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

# test_check_trend runs the generator ($PMGEN) for its data set. The tests
# run $(JOBS) at a time (tests/run_unit.sh: each one's output printed whole).
unit: $(UNIT_BINS) $(O)/pmgen
	@PMGEN=$(CURDIR)/$(O)/pmgen sh tests/run_unit.sh $(JOBS) $(UNIT_BINS)

e2e: $(O)/pmaudit $(TOOL_BINS) $(REPLAY_BINS) $(MO_FILES)
	@PMAUDIT=$(CURDIR)/$(O)/pmaudit PMGEN=$(CURDIR)/$(O)/pmgen O=$(O) \
	  XGETTEXT_FLAGS='$(XGETTEXT_FLAGS)' tests/e2e/run.sh

# The sanitizer pass: the end-to-end suite once more on an ASan+UBSan build
# (its own object directory), without the tests marked "# e2e: not under
# asan" (those reach no line the others miss: `make e2e-cover` checks it);
# then valgrind over the demo pipeline.
SAN_FLAGS := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

asan:
	ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 E2E_SANITIZED=1 \
	  $(MAKE) O=build-asan CFLAGS="$(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" e2e

# every e2e test's lines under gcov: which tests the sanitizer pass may
# leave out (docs/testing.md)
e2e-cover:
	sh tools/e2e_cover.sh

valgrind: all
	@PMAUDIT=$(CURDIR)/$(O)/pmaudit tools/valgrind.sh

# The modules' include and link arrows against tools/layering.allow, no
# cycle (docs/architecture.md); then the checker's own test.
layering: $(LIB_OBJS) $(CMD_OBJS)
	python3 tools/layering.py . tools/layering.allow $(O)
	@sh tests/t_layering.sh

# make test's builds run on every core (the object files, the ASan build's
# too): built one file at a time they were over a minute of its ten.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

test: deps
	$(MAKE) -j$(JOBS) all
	$(MAKE) layering
	$(MAKE) -j$(JOBS) unit
	$(MAKE) -j$(JOBS) e2e
	$(MAKE) -j$(JOBS) asan
	$(MAKE) valgrind

demo: deps
	$(MAKE) all
	@PMAUDIT=$(CURDIR)/$(O)/pmaudit tools/demo.sh

bench: deps
	$(MAKE) all
	@PMAUDIT=$(CURDIR)/$(O)/pmaudit PMGEN=$(CURDIR)/$(O)/pmgen tools/bench.sh

# Builds the fuzz targets with clang and runs each for FUZZ_SECONDS over its
# seed corpus; new inputs go to build-fuzz/corpus/, crashes to build-fuzz/crashes/.
fuzz: deps
	$(MAKE) O=build-fuzz CC=clang CFLAGS="$(FUZZ_FLAGS)" $(FUZZ_NAMES:%=build-fuzz/fuzz/%)
	FUZZ_SECONDS=$(FUZZ_SECONDS) tools/fuzz.sh $(FUZZ_NAMES)

clean:
	rm -rf $(O) build-asan build-cov build-fuzz pmaudit out

-include $(LIB_OBJS:.o=.d) $(CMD_OBJS:.o=.d) $(wildcard $(O)/fuzz/*.d $(O)/replay/*.d)
