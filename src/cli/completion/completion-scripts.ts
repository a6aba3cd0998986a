/**
 * The scripts `llmo completion bash|zsh|fish` prints. Each asks `llmo __complete CWORD WORDS…`
 * for the candidates, so the scripts never change when commands, models or chains do.
 */

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

const BASH = `# llmo completion for bash: eval "$(llmo completion bash)" in ~/.bashrc
_llmo_complete() {
  local IFS=$'\\n' cur words cword
  if declare -F _get_comp_words_by_ref >/dev/null; then
    # Keep provider:model one word (bash splits words at ':' otherwise).
    _get_comp_words_by_ref -n : cur words cword
  else
    words=("\${COMP_WORDS[@]}"); cword=$COMP_CWORD; cur=\${COMP_WORDS[COMP_CWORD]}
  fi
  COMPREPLY=($(llmo __complete "$cword" "\${words[@]}" 2>/dev/null))
  if declare -F __ltrim_colon_completions >/dev/null; then __ltrim_colon_completions "$cur"; fi
}
complete -o default -F _llmo_complete llmo
`;

const ZSH = `#compdef llmo
# llmo completion for zsh: eval "$(llmo completion zsh)" in ~/.zshrc (after compinit)
_llmo() {
  local -a candidates
  candidates=("\${(@f)$(llmo __complete $((CURRENT - 1)) "\${words[@]}" 2>/dev/null)}")
  candidates=("\${(@)candidates:#}")
  if (( \${#candidates} )); then
    compadd -Q -- "\${candidates[@]}"
  else
    _files
  fi
}
compdef _llmo llmo
`;

const FISH = `# llmo completion for fish: llmo completion fish > ~/.config/fish/completions/llmo.fish
function __llmo_complete
    set -l tokens (commandline -opc) (commandline -ct)
    llmo __complete (math (count $tokens) - 1) $tokens 2>/dev/null
end
complete -c llmo -f -a '(__llmo_complete)'
`;

export const COMPLETION_SCRIPTS: Record<Shell, string> = { bash: BASH, zsh: ZSH, fish: FISH };
