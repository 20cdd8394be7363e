# Asks a bash completion file what it offers, as bash does on TAB at the end of a line:
#   bash bash_complete.sh COMPLETION-FILE WORD... (the last word is the one completed)
# Prints one candidate a line.
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="${COMP_WORDS[*]}"
COMP_POINT=${#COMP_LINE}
_greenlight "${COMP_WORDS[0]}" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
