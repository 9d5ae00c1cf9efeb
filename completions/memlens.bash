# bash completion for memlens(1). Keep the lists in step with the command
# table (src/cmd/cmd.c); tests/cli/0090-docs-agree.sh checks them.

_memlens()
{
	local cur prev words cword
	_init_completion -s || return

	local commands="summary meminfo buddy zones vmalloc slab procs maps"
	local globals="--proc-root --sys-root --json --json=pretty --interval --count
		--bytes --kibi --mebi --gibi --human --si --sort --limit --color --help --version
		-i -n -b -k -m -g -h"

	case $prev in
	--proc-root | --sys-root)
		_filedir -d
		return
		;;
	--interval | -i | --count | -n | --limit)
		return
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	--by)
		COMPREPLY=($(compgen -W "caller module type" -- "$cur"))
		return
		;;
	--areas)
	--group)
		COMPREPLY=($(compgen -W "user command" -- "$cur"))
		return
		;;
	--user | -u)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	--pid | -p | --match)
		return
		;;
	esac
	[[ $cur == --color=* ]] && {
		COMPREPLY=($(compgen -P --color= -W "auto always never" -- "${cur#--color=}"))
		return
	}

	local i cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--proc-root | --sys-root | --interval | -i | --count | -n | --sort | --limit | --by | --areas)
		--proc-root | --sys-root | --interval | -i | --count | -n | --sort | --limit | \
			--group | --user | -u | --pid | -p | --match)
			((i++))
			;;
		-*) ;;
		*)
			cmd=${words[i]}
			break
			;;
		esac
	done

	local opts=$globals
	case $cmd in
	summary | meminfo | zones) ;;
	buddy) opts+=" --types -t" ;;
	vmalloc)
		opts+=" --by --areas"
		[[ $prev == --sort ]] && {
			COMPREPLY=($(compgen -W "bytes areas va_size name growth" -- "$cur"))
			return
		}
		;;
	slab)
		if [[ $prev == --sort ]]; then
			COMPREPLY=($(compgen -W "memory objects active objsize waste name growth
				-memory -objects -active -objsize -waste -name -growth" -- "$cur"))
			return
		fi
	procs)
		opts="$opts --group --user --pid --match -u -p"
		[[ $prev == --sort ]] && {
			COMPREPLY=($(compgen -W "pss uss rss swap swappss anon file shmem pid command" -- "$cur"))
			return
		}
		;;
	maps)
		opts="$opts --all"
		[[ $prev == --sort ]] && {
			COMPREPLY=($(compgen -W "pss rss uss size swap name" -- "$cur"))
			return
		}
		[[ $cur != -* ]] && {
			COMPREPLY=($(compgen -W "$(command ls /proc 2>/dev/null | grep '^[0-9]')" -- "$cur"))
			return
		}
		;;
	esac

	if [[ $cur == -* || -n $cmd ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	fi
} &&
	complete -F _memlens memlens
