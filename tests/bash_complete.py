#!/usr/bin/env python3
"""bash_complete.py FILE LINE...: what bash's programmable completion offers when TAB is pressed
at the end of each LINE, asked of one real interactive bash (bash --norc, FILE sourced: it holds
crm.bash) on a pseudo-terminal, so that readline splits the words (COMP_WORDBREAKS) as it does
for users. For each LINE it prints "## LINE", then the candidates bash offers, one a line:
COMPREPLY as the completion function left it, recorded by a wrapper around that function.
A LINE written "insert:LINE" is completed for real instead: what follows "## insert:LINE" is the
command line after TAB (a unique candidate inserted, with the space bash adds or not).
Exits 2 when bash does not answer within BASHC_TIMEOUT seconds (30).
Keys are typed ahead, sometimes while the terminal is still in cooked mode between commands:
only keys the tty does not interpret there are sent (TAB, C-x, letters; never C-d or C-u)."""
import os
import pty
import select
import shlex
import shutil
import sys
import tempfile
import time

comp, lines = sys.argv[1], sys.argv[2:]
out = tempfile.mkdtemp(prefix="bash_complete.")
timeout = float(os.environ.get("BASHC_TIMEOUT", "30"))
q = shlex.quote
init = f"""
PS1= PS2= PROMPT_COMMAND=
HISTFILE=/dev/null
bind 'set enable-bracketed-paste off' 2>/dev/null
bind 'set bell-style none'
source {q(comp)}
__bc_out={q(out)} __bc_n=0 __bc_real=0
# the function crm.bash registered runs as bash calls it; a wrapper records its COMPREPLY
__bc_fn=$(complete -p crm | sed -n 's/.* -F \\([^ ]*\\) .*/\\1/p')
__bc_wrap() {{
	"$__bc_fn" "$@"
	local rc=$?
	((__bc_real || ${{#COMPREPLY[@]}} == 0)) || printf '%s\\n' "${{COMPREPLY[@]}}" >>"$__bc_out/cands.$__bc_n"
	return $rc
}}
eval "$(complete -p crm | sed "s/ -F $__bc_fn / -F __bc_wrap /")"
__bc_done() {{
	((__bc_real)) && printf '%s\\n' "$READLINE_LINE" >"$__bc_out/cands.$__bc_n"
	: >>"$__bc_out/cands.$__bc_n"
	READLINE_LINE= READLINE_POINT=0
	: >"$__bc_out/done.$__bc_n"
}}
bind -x '"\\C-xz": __bc_done'
: >"$__bc_out/ready"
"""
with open(os.path.join(out, "init.bash"), "w") as f:
    f.write(init)

pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])


def wait_for(name, what):
    path = os.path.join(out, name)
    t0 = time.monotonic()
    while not os.path.exists(path):
        if time.monotonic() - t0 > timeout:
            sys.stderr.write(f"bash_complete: bash gave no answer for '{what}' within {timeout:g}s\n")
            finish(2)
        r, _, _ = select.select([fd], [], [], 0.02)
        if r:
            try:
                os.read(fd, 65536)
            except OSError:
                pass


def finish(rc):
    try:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    except OSError:
        pass
    shutil.rmtree(out, ignore_errors=True)
    sys.exit(rc)


os.write(fd, f"source {q(os.path.join(out, 'init.bash'))}\n".encode())
wait_for("ready", "source init.bash")
for n, line in enumerate(lines):
    real = line.startswith("insert:")
    os.write(fd, f"__bc_n={n} __bc_real={int(real)}\n".encode())
    os.write(fd, (line[len("insert:"):] if real else line).encode() + b"\t\x18z")
    wait_for(f"done.{n}", line)
    sys.stdout.write(f"## {line}\n")
    with open(os.path.join(out, f"cands.{n}")) as f:
        sys.stdout.write(f.read())
sys.stdout.flush()
finish(0)
