#!/usr/bin/env python3
"""Compare each verb's SYNOPSIS in man/crm-<noun>.1 with its --help usage (tests/man.bats).

Both must name the same options: every option of the usage is in the page, every option of
the page is in the usage (or, for a verb taking --<field>, is a field it lists), and a verb that
takes --<field> shows "Fl - Ns Ar field". Prints one line per disagreement."""
import os, re, subprocess, sys

crm = os.environ["CRM_BIN"]
man = sys.argv[1]

def run(*args):
    return subprocess.run([crm, *args], capture_output=True, text=True).stdout

def blocks(page):
    """{"account add": ["--set", ...], ...} and which blocks have the field placeholder."""
    text = open(page).read()
    syn = text.split(".Sh SYNOPSIS", 1)[1].split("\n.Sh ", 1)[0]
    out = {}
    for chunk in syn.split(".Nm crm\n")[1:]:
        lines = chunk.strip().split("\n")
        cm = next((l for l in lines if l.startswith(".Cm ")), None)
        if not cm:
            continue
        words = cm[4:].replace("|", " | ").split()
        noun, rest = words[0], words[1:]
        # ".Cm ticket resolve | close | reopen", ".Cm project cost add"
        alts, cur = [], []
        for w in rest:
            if w == "|":
                alts.append(cur)
                cur = []
            else:
                cur.append(w)
        alts.append(cur)
        prefix = alts[0][:-1]
        body = " ".join(lines)
        opts = set("--" + m for m in re.findall(r"Fl -([a-z][a-z-]*)", body))
        fields = bool(re.search(r"Fl - Ns Ar field", body))
        for a in alts:
            path = " ".join([noun] + (prefix + a[-1:] if len(a) == 1 else a))
            out[path] = (opts, fields)
    return out

problems = []
for noun in run("__complete", "").split():
    page = os.path.join(man, "crm-%s.1" % noun)
    verbs = run("__complete", noun, "").split()
    if "\nVerbs:" not in run("help", noun) or not verbs or not os.path.exists(page):
        continue
    have = blocks(page)
    paths = []
    for v in verbs:
        # a verb's sub-verbs; what completes its arguments (filter fields "name:", records,
        # ":files", transitions with their descriptions) is not one
        subs = [w for w in run("__complete", noun, v, "").split("\n")
                if w and "\t" not in w and ":" not in w and not w.isdigit()] \
            if "\nVerbs:" in run("help", noun, v) else []
        paths += ["%s %s %s" % (noun, v, s) for s in subs] if subs else ["%s %s" % (noun, v)]
    for path in paths:
        help_ = run(*path.split(), "--help")
        usage = help_.split("\n", 1)[0]
        if not usage.startswith("usage: crm "):
            problems.append("%s: no usage from --help" % path)
            continue
        uopts = set(re.findall(r"--[a-z][a-z-]*", usage))
        ufields = "--<field>" in usage
        # what the parser takes: the tables' options and, for --<field>, every field (completion
        # lists them from the same tables); the global options may stand anywhere
        listed = set(run("__complete", *path.split(), "--").split())
        listed |= {"--db", "--config", "--as", "--format", "--output", "--no-headers", "--quiet", "--verbose"}
        if path not in have:
            problems.append("%s: no SYNOPSIS entry in crm-%s.1 (usage: %s)" % (path, noun, usage[7:]))
            continue
        mopts, mfields = have[path]
        for o in sorted(uopts - mopts):
            problems.append("%s: %s is in --help but not in the SYNOPSIS" % (path, o))
        for o in sorted(mopts - uopts - listed):
            problems.append("%s: %s is in the SYNOPSIS but not in --help" % (path, o))
        if ufields != mfields:
            problems.append("%s: --<field> %s" % (path, "missing from the SYNOPSIS" if ufields else "in the SYNOPSIS only"))
print("\n".join(problems))
sys.exit(1 if problems else 0)
