# SPDX-License-Identifier: GPL-3.0-or-later
# Copyright (C) 2026 The listdex authors
# bash completion for listdex. Commands, options and option values are read
# from `listdex help` at completion time, so they follow the installed
# listdex; list ids (--list, list:, l:) from `listdex lists`.

_listdex_index_args() { # the --index given on the line, for listdex lists
    local i
    for ((i = 1; i < ${#COMP_WORDS[@]}; i++)); do
        case ${COMP_WORDS[i]} in
        --index) printf '%s\n' --index "${COMP_WORDS[i + 1]}"; return ;;
        --index=*) printf '%s\n' "${COMP_WORDS[i]}"; return ;;
        esac
    done
}

_listdex_lists() {
    local -a index
    mapfile -t index < <(_listdex_index_args)
    listdex lists "${index[@]}" 2>/dev/null | awk 'NR > 1 { print $1 }'
}

_listdex_help_section() { # the names listed under the headings "$1:" ("$2:") of `listdex help`
    listdex help 2>/dev/null | awk -v a="$1:" -v b="${2:-}:" '
        $0 == a || $0 == b { on = 1; next } /^$/ { on = 0 } on && /^  [a-z]/ { print $1 }'
}

_listdex() {
    local line=${COMP_LINE:0:COMP_POINT}
    local word=${line##*[[:space:]]} # the word being typed, ':' included
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local cmd="" i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        --index) ((i++)) ;;
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        if [[ $prev == --index ]]; then
            mapfile -t COMPREPLY < <(compgen -d -- "$cur")
            return
        fi
        mapfile -t COMPREPLY < <(compgen -W "$(_listdex_help_section Commands) --help --version --index" -- "$cur")
        return
    fi
    [[ $cmd == help ]] && { mapfile -t COMPREPLY < <(compgen -W "$(_listdex_help_section Commands Topics)" -- "$cur"); return; }
    local help
    help=$(listdex help "$cmd" 2>/dev/null | sed -n '/options:$/,$p' | sed 's/ \[ / /; s/ \] / /')
    # The value of the option before the cursor ("  -j --jobs N (=0)").
    if [[ $prev == -* && $word != -* ]]; then
        if [[ $prev == --list ]]; then
            mapfile -t COMPREPLY < <(compgen -W "$(_listdex_lists)" -- "$cur")
            return
        fi
        local spec
        spec=$(printf '%s\n' "$help" | awk -v o="$prev" '$1 ~ /^-/ {
            if ($1 ~ /^-[a-zA-Z]$/) { s = $1; l = $2; v = $3 } else { s = ""; l = $1; v = $2 }
            if ((o == s || o == l) && v !~ /^\(/) { print v; exit } }')
        case $spec in
        *'|'*) mapfile -t COMPREPLY < <(compgen -W "${spec//|/ }" -- "$cur"); return ;;
        DIR) mapfile -t COMPREPLY < <(compgen -d -- "$cur"); return ;;
        FILE | PATH) mapfile -t COMPREPLY < <(compgen -f -- "$cur"); return ;;
        ?*) compopt +o default 2>/dev/null; return ;; # N, NAME, HOST:PORT...: nothing to offer
        esac
    fi
    case $word in
    list:* | l:*) # bash splits at ':' (COMP_WORDBREAKS): complete the part after it
        mapfile -t COMPREPLY < <(compgen -W "$(_listdex_lists)" -- "${word#*:}")
        return ;;
    -*)
        mapfile -t COMPREPLY < <(compgen -W "$(printf '%s\n' "$help" | grep -oE -- '^  (-[a-zA-Z] )?--[a-z][a-z-]*' |
            grep -oE -- '--[a-z][a-z-]*' | grep -vE -- '^--(id|path|query|action)$')" -- "$cur")
        return ;;
    esac
    case $cmd in
    import) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;;
    tags) [[ $COMP_CWORD -eq $((i + 1)) ]] && mapfile -t COMPREPLY < <(compgen -W "list dump restore" -- "$cur") ;;
    esac
}
complete -o default -F _listdex listdex
