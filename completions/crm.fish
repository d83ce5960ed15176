# fish completion for crm(1).
#
# The candidates come from the binary itself ("crm __complete <words...>" prints one per line
# for the last word, given every word after "crm"), so they follow the command table and the
# record kinds without this file ever being edited. Install as
# /usr/share/fish/vendor_completions.d/crm.fish.

# The words after "crm" and the (possibly empty) one being completed.
function __crm_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    crm __complete $words[2..-1] "$cur" 2>/dev/null
end

# Is the word being completed the value of an option that takes a file name?
function __crm_wants_file
    set -l words (commandline -opc)
    contains -- "$words[-1]" --db --config -o --output; and return 0
    # crm db copy: a file (or a URL); activity list's --from is a date.
    contains -- db $words; and contains -- "$words[-1]" --from --to
end

# Candidates are "value<TAB>description" lines, which fish shows as they are; ":files" asks for
# file names (import, attach, -o), as do --db=, --config= and --output=.
function __crm_candidates
    # --db=FILE, --config=FILE, --output=FILE: the file names, after the option
    set -l cur (commandline -ct)
    if string match -qr -- '^--(db|config|output)=' $cur
        set -l opt (string replace -r -- '=.*' '=' $cur)
        for f in (__fish_complete_path (string replace -r -- '^[^=]*=' '' $cur))
            printf '%s%s\n' $opt $f
        end
        return
    end
    set -l c (__crm_complete)
    if contains -- :files $c
        __fish_complete_path (commandline -ct)
    else
        printf '%s\n' $c
    end
end

complete -c crm -f -n 'not __crm_wants_file' -a '(__crm_candidates)'
complete -c crm -f -n '__crm_wants_file' -a '(__fish_complete_path (commandline -ct))'
