# crm: build, test, install. `make` builds ./crm; `make test` runs every test;
# `make test SANITIZE=1` (or `make asan test`) runs them under ASan and UBSan.

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
# fish's vendor completions under DATADIR, where fish.pc puts them relative to its datadir
# (DATADIR/fish/vendor_completions.d). fish reads them there when DATADIR is its own or is in
# XDG_DATA_DIRS (desktop sessions name /usr/local/share).
# zsh's: PREFIX/share/zsh/site-functions (on zsh's $fpath for /usr/local), except that for /usr a
# system whose zsh has /usr/share/zsh/vendor-completions (Debian's) reads only that one.
ZSHCOMPDIR ?= $(if $(and $(filter /usr/share,$(DATADIR)),$(wildcard /usr/share/zsh/vendor-completions)),/usr/share/zsh/vendor-completions,$(DATADIR)/zsh/site-functions)
FISHCOMPDIR ?= $(or $(shell pkg-config --define-variable=datadir=$(DATADIR) --variable=completionsdir fish 2>/dev/null),$(DATADIR)/fish/vendor_completions.d)
# The system configuration, $(SYSCONFDIR)/crm/config.yaml: the one file whose roles crm honours.
SYSCONFDIR ?= /etc
# The tests' own build of crm ($(BUILD)/crm-test, for tests/helper.bash's trusted_crm): the same
# but for its system configuration, TEST_SYSCONFDIR/crm/config.yaml, which is a directory each
# test hands it on descriptor 7, so that tests in parallel each reach the trusted path with
# their own file. Never install it: whoever starts it chooses its system file.
TEST_SYSCONFDIR := /dev/fd/7
VERSION := 0.1.0

PKGS := sqlite3 yaml-0.1 xlsxwriter gmime-3.0 libpq libical pangocairo cairo-pdf
PKG_CFLAGS := $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
# libxlsxwriter, GMime, libical and pangocairo are compiled against but not linked: core/lazy.c loads them when a
# command first needs them, so that every other command starts without them (and their libcrypto,
# GIO, gpgme, ...).
PKG_LIBS := $(shell pkg-config --libs sqlite3 yaml-0.1 glib-2.0 2>/dev/null)

CC ?= cc
OPT ?= -O2 -g
# Descriptor tables (kinds, fields, verbs) leave optional trailing members out: they are zero.
WARN := -std=c11 -Wall -Wextra -Werror -Wno-missing-field-initializers
ALL_CFLAGS = $(WARN) $(OPT) -Iinclude $(CORE_INC) $(PKG_CFLAGS) -DCRM_VERSION='"$(VERSION)"' -DSYSCONFDIR='"$(SYSCONFDIR)"' $(CFLAGS)
LIBS = $(PKG_LIBS) -lcsv -lm
# core/'s private headers (db.h: struct crm, SQLite) are out of cmd/'s reach.
CORE_INC = -Icore

# `make asan test` means the sanitized suite, the same as `make test SANITIZE=1`.
ifneq ($(filter asan,$(MAKECMDGOALS)),)
SANITIZE := 1
endif

ifeq ($(SANITIZE),1)
BUILD := build/asan
OPT := -O1 -g
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
LDFLAGS += -fsanitize=address,undefined
BIN := $(BUILD)/crm
else
BUILD := build/release
BIN := crm
endif

CORE_SRC := $(wildcard core/*.c)
CMD_SRC := $(wildcard cmd/*.c)
GEN_SRC := $(BUILD)/gen/migrations.c $(BUILD)/gen/defaults.c
CORE_OBJ := $(CORE_SRC:%.c=$(BUILD)/%.o) $(GEN_SRC:.c=.o)
CMD_OBJ := $(CMD_SRC:%.c=$(BUILD)/%.o)
$(CMD_OBJ): CORE_INC =
UNIT_SRC := $(wildcard tests/unit/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/unit/%)
MIGRATIONS := $(sort $(wildcard core/sql/*.sql))
MIGRATIONS_PG := $(sort $(wildcard core/sql/pg/*.sql))

.PHONY: stress bench-agenda bench-receivables bench-sales bench-search all test test-pg bench-pg unit asan demo deps install uninstall clean bench fuzz lint
all: $(BIN) $(BUILD)/crm-test $(UNIT_BIN)

$(BIN): $(CORE_OBJ) $(CMD_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/crm-test: $(filter-out $(BUILD)/core/config.o,$(CORE_OBJ)) $(BUILD)/test/config.o $(CMD_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/test/config.o: core/config.c $(wildcard include/crm/*.h) $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -USYSCONFDIR -DSYSCONFDIR='"$(TEST_SYSCONFDIR)"' -c -o $@ $<

$(BUILD)/%.o: %.c $(wildcard include/crm/*.h) $(wildcard core/*.h) cmd/cmd.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/gen/%.o: $(BUILD)/gen/%.c core/config_builtin.h include/crm/config.h
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

# Schema migrations are numbered SQL files compiled into the binary, applied in order: SQLite's
# (core/sql) as crm_migrations, PostgreSQL's (core/sql/pg, the same numbers) as crm_migrations_pg.
$(BUILD)/gen/migrations.c: $(MIGRATIONS) $(MIGRATIONS_PG) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh migrations $(MIGRATIONS) -- $(MIGRATIONS_PG) > $@.tmp
	mv $@.tmp $@

# The built-in defaults are parsed when crm is built, into a table of nodes: parsing them with
# libyaml was a third of the instructions of a short command (crm search, crm contact show).
# It runs where crm is built: HOSTCC, not CC, compiles it.
HOSTCC ?= cc
$(BUILD)/gen/defaults2c: scripts/defaults2c.c
	@mkdir -p $(dir $@)
	$(HOSTCC) $(WARN) -O1 -o $@ $< $(shell pkg-config --cflags --libs yaml-0.1)

# The table's initialisers follow struct crm_builtin_node's order: a change there remakes it.
$(BUILD)/gen/defaults.c: core/defaults.yaml $(BUILD)/gen/defaults2c core/config_builtin.h
	$(BUILD)/gen/defaults2c core/defaults.yaml > $@.tmp
	mv $@.tmp $@

# The unit tests link the tests' config.o too: their system file is /dev/fd/7/crm/config.yaml.
UNIT_OBJ := $(filter-out $(BUILD)/core/config.o,$(CORE_OBJ)) $(BUILD)/test/config.o
$(BUILD)/unit/%: tests/unit/%.c $(UNIT_OBJ) tests/unit/unit.h
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(UNIT_OBJ) $(LIBS)

asan: all

# Every test (bats, with the C unit tests run from tests/unit.bats); the last line is the tally.
test: all
	CRM_BIN=$(abspath $(BIN)) CRM_TEST_BIN=$(abspath $(BUILD)/crm-test) UNIT_DIR=$(abspath $(BUILD)/unit) \
		SANITIZE=$(SANITIZE) VALGRIND=$(VALGRIND) sh tests/run

# The same suite against PostgreSQL: a private cluster (scripts/pg-cluster.sh) started for the
# run and stopped after it, each test in its own database; the last line is
# "tests (postgresql): N passed, M failed".
test-pg: export CRM_PG_STATE = $(abspath build/pg-cluster-test)
test-pg: all
	@sh scripts/pg-cluster.sh stop
	@url=$$(sh scripts/pg-cluster.sh start) || exit 1; \
	trap 'sh scripts/pg-cluster.sh stop' EXIT INT TERM; \
	CRM_TEST_BACKEND=pg CRM_TEST_PG_URL="$$url" CRM_BIN=$(abspath $(BIN)) \
		CRM_TEST_BIN=$(abspath $(BUILD)/crm-test) UNIT_DIR=$(abspath $(BUILD)/unit) \
		SANITIZE=$(SANITIZE) VALGRIND=$(VALGRIND) sh tests/run

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do ./$$t || exit 1; done

deps:
	sh scripts/install-deps.sh

# First contact: install what is missing, build, and run crm on a demo database.
demo: deps
	$(MAKE) all
	sh scripts/demo.sh ./crm

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(DATADIR)/bash-completion/completions $(DESTDIR)$(ZSHCOMPDIR) \
		$(DESTDIR)$(FISHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/crm
	# The pages name the system file as /etc/crm/config.yaml: installed, they name this build's.
	for f in man/*.1 man/*.5; do \
		sed 's|/etc/crm/|$(SYSCONFDIR)/crm/|g' "$$f" > $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}.tmp && \
		chmod 644 $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}.tmp && \
		mv $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/}.tmp $(DESTDIR)$(MANDIR)/man$${f##*.}/$${f##*/} || exit 1; \
	done
	install -m 644 completions/crm.bash $(DESTDIR)$(DATADIR)/bash-completion/completions/crm
	install -m 644 completions/_crm $(DESTDIR)$(ZSHCOMPDIR)/_crm
	install -m 644 completions/crm.fish $(DESTDIR)$(FISHCOMPDIR)/crm.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/crm $(DESTDIR)$(DATADIR)/bash-completion/completions/crm \
		$(DESTDIR)$(ZSHCOMPDIR)/_crm $(DESTDIR)$(FISHCOMPDIR)/crm.fish
	cd man && for f in *.1; do rm -f $(DESTDIR)$(MANDIR)/man1/$$f; done
	cd man && for f in *.5; do rm -f $(DESTDIR)$(MANDIR)/man5/$$f; done

lint:
	mandoc -T lint -W warning man/*.1 man/*.5

# The import/export benchmark (bench/run.sh, docs/PERFORMANCE.md): `make bench N=100000`; then
# the import into PostgreSQL against SQLite and psql \copy at PG_IMPORT_N rows (bench/pg_import.sh,
# on a private cluster; skipped when PostgreSQL is not installed).
N ?= 1000000
PG_IMPORT_N ?= 20000 100000
bench: $(BIN)
	sh bench/run.sh $(N) $(abspath $(BIN))
	sh bench/pg_import.sh $(abspath $(BIN)) $(PG_IMPORT_N)
	sh bench/agenda.sh $(AGENDA_N) $(AGENDA_U) $(abspath $(BIN))
	sh bench/receivables.sh $(A) $(T) $(abspath $(BIN))
	sh bench/sales.sh $(O) $(F) $(abspath $(BIN))

# The agenda benchmark (bench/agenda.sh, docs/PERFORMANCE.md): crm agenda and crm calendar
# --month for one user among AGENDA_N tasks across AGENDA_U users against the sqlite3 CLI's
# indexed query on the same file (also the last part of make bench): `make bench-agenda
# AGENDA_N=10000 AGENDA_U=10` for a smoke run.
AGENDA_N ?= 1000000
AGENDA_U ?= 1000
bench-agenda: $(BIN)
	sh bench/agenda.sh $(AGENDA_N) $(AGENDA_U) $(abspath $(BIN))

# The search benchmark (bench/search.sh, docs/PERFORMANCE.md): crm search against the LIKE scan
# of contact list at N contacts, the import with the index kept, search --rebuild:
# `make bench-search N=100000` (BASE_CRM=<a crm without the index> also times its import).
bench-search: $(BIN)
	sh bench/search.sh $(N) $(abspath $(BIN))

# The financials benchmark (bench/receivables.sh, docs/PERFORMANCE.md; also a part of make
# bench): crm report receivables and client-value over A accounts and T transactions against the
# sqlite3 CLI's aggregates on the same file, in pairs, and the client-value workbook's peak
# memory: `make bench-receivables A=1000 T=50000` for a smoke run.
A ?= 100000
T ?= 5000000
bench-receivables: $(BIN)
	sh bench/receivables.sh $(A) $(T) $(abspath $(BIN))

# The sales benchmark (bench/sales.sh, docs/PERFORMANCE.md; also a part of make bench): crm
# pipeline over O opportunities and offer totals over F offers of 20 lines against the sqlite3
# CLI's aggregates on the same file, in pairs: `make bench-sales O=10000 F=1000` for a smoke run.
O ?= 1000000
F ?= 100000
bench-sales: $(BIN)
	sh bench/sales.sh $(O) $(F) $(abspath $(BIN))

# The PostgreSQL benchmark (bench/pg.sh, docs/PERFORMANCE.md): W concurrent writers for S seconds
# on both backends, contact show at N contacts against psql: `make bench-pg N=1000000`.
bench-pg: $(BIN)
	sh bench/pg.sh $(abspath $(BIN)) $(or $(N),1000000) $(or $(W),8) $(or $(S),30)

# Fuzz every parser for FUZZ_TIME seconds per target (clang's libFuzzer under ASan and UBSan):
# tests/fuzz/fuzz_<name>.c reads tests/fuzz/corpus/<name>/ (the seeds, and every input that once
# crashed: each run replays them first) and writes what it finds to build/fuzz/corpus/<name>/.
# core/ is compiled once into build/fuzz/libcrm.a for all targets. A crash, a leak or a
# sanitizer report stops the run with the input saved as build/fuzz/crash-*.
# `make fuzz FUZZ_TIME=15` is what .ci/run does; `make fuzz FUZZ_TARGETS=build/fuzz/fuzz_date`
# runs one.
FUZZ_TIME ?= 60
FUZZ_NAMES := $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_TARGETS ?= $(FUZZ_NAMES:%=build/fuzz/fuzz_%)
FUZZ_CC ?= clang
FUZZ_CFLAGS := -std=c11 -g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined -Iinclude -Icore $(PKG_CFLAGS) -DCRM_VERSION='"$(VERSION)"' \
	-DSYSCONFDIR='"$(SYSCONFDIR)"'
FUZZ_OBJ := $(CORE_SRC:core/%.c=build/fuzz/obj/%.o) $(GEN_SRC:$(BUILD)/gen/%.c=build/fuzz/obj/gen_%.o)
fuzz: $(FUZZ_TARGETS)
	@for t in $(FUZZ_TARGETS); do n=$${t##*/fuzz_}; mkdir -p build/fuzz/corpus/$$n; \
		echo "fuzz: $$n for $(FUZZ_TIME) s"; \
		./$$t -max_total_time=$(FUZZ_TIME) -max_len=8192 -timeout=10 -rss_limit_mb=1536 \
			-artifact_prefix=build/fuzz/ -print_final_stats=1 \
			build/fuzz/corpus/$$n tests/fuzz/corpus/$$n 2>build/fuzz/$$n.log || \
			{ tail -60 build/fuzz/$$n.log; echo "fuzz: $$n FAILED (log: build/fuzz/$$n.log)"; exit 1; }; \
		grep '^Done' build/fuzz/$$n.log; \
	done

# Load and faults at length (docs/RELIABILITY.md): the concurrency test for STRESS_SECONDS and
# the SIGKILL test for STRESS_KILLS kills of a STRESS_ROWS-row import; make test runs both
# briefly (20 s; 3 kills of 10000 rows).
STRESS_SECONDS ?= 120
STRESS_KILLS ?= 25
STRESS_ROWS ?= 50000
stress: all
	CRM_BIN=$(abspath $(BIN)) CRM_TEST_BIN=$(abspath $(BUILD)/crm-test) \
		CRM_CONCURRENCY_SECONDS=$(STRESS_SECONDS) CRM_CRASH_KILLS=$(STRESS_KILLS) CRM_CRASH_ROWS=$(STRESS_ROWS) \
		bats --tap tests/concurrency.bats tests/crash.bats

build/fuzz/obj/%.o: core/%.c $(wildcard include/crm/*.h) $(wildcard core/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/obj/gen_%.o: $(BUILD)/gen/%.c core/config_builtin.h include/crm/config.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -c -o $@ $<

build/fuzz/libcrm.a: $(FUZZ_OBJ)
	rm -f $@
	ar rcs $@ $^

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h build/fuzz/libcrm.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -Wall -Wextra -Werror -Wno-missing-field-initializers -fsanitize=fuzzer -o $@ $< build/fuzz/libcrm.a $(LIBS)

clean:
	rm -rf build crm
