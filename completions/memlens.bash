# bash completion for memlens(1). Keep the lists in step with the command
# table (src/cmd/cmd.c); tests/cli/0090-docs-agree.sh checks them.

_memlens()
{
	local cur prev words cword
	_init_completion -s || return

	local commands="summary meminfo buddy zones vmalloc slab procs maps numa huge cgroups top capture diff growth metrics serve explain help"
	local globals="--proc-root --sys-root --capture --json --json=pretty --interval --count
		--bytes --kibi --mebi --gibi --human --si --sort --limit --color --help --version
		-i -n -b -k -m -g -h"

	# The command is the first word that is not an option or an option's argument.
	local i cmd=
	for ((i = 1; i < cword; i++)); do
		case ${words[i]} in
		--proc-root | --sys-root | --capture | --interval | -i | --count | -n | --sort | \
			--limit | --by | --areas | --group | --user | -u | --pid | -p | --match | \
			--view | --output | -o | --pids | --smaps | --min | --format | --procs-top | \
			--listen | --timeout | --client-timeout | --window | --set | --depth | \
			--what | --min-rate | --min-r2 | --min-rising | --pss-top)
			((i++))
			;;
		-*) ;;
		*)
			cmd=${words[i]}
			break
			;;
		esac
	done

	# Each command's own options and --sort keys.
	local opts= sort_keys=
	case $cmd in
	buddy) opts="--types -t" ;;
	vmalloc)
		opts="--by --areas"
		sort_keys="bytes areas va_size name growth"
		;;
	slab) sort_keys="memory objects active objsize waste name growth" ;;
	procs)
		opts="--group --user -u --pid -p --match --wide -w"
		sort_keys="pss uss rss swap swappss anon file shmem pid command minflt majflt growth"
		;;
	maps)
		opts="--all --numa"
		sort_keys="pss rss uss size swap name"
		;;
	cgroups)
		opts="--tree --flat --depth"
		sort_keys="current wset peak anon file kernel swap headroom pss uss procs oom pressure name"
		;;
	top) opts="--view" ;;
	capture) opts="--output -o --pids --smaps" ;;
	diff)
		opts="--view --min"
		sort_keys="delta rate name abs"
		;;
	growth)
		opts="--window --what --min-rate --min-r2 --min-rising --pss-top"
		sort_keys="rate size name"
		;;
	metrics) opts="--format --output -o --min --procs-top" ;;
	serve) opts="--listen --timeout --client-timeout --min --procs-top" ;;
	explain) opts="--window --set --rules" ;;
	esac

	case $prev in
	--proc-root | --sys-root)
		_filedir -d
		return
		;;
	--capture | --output | -o)
		_filedir
		return
		;;
	--interval | -i | --count | -n | --limit | --areas | --match | --min | --procs-top | \
		--listen | --timeout | --client-timeout | --window | --depth)
		return
		;;
	--pids)
		COMPREPLY=($(compgen -W "all none" -- "$cur"))
		return
		;;
	--smaps)
		COMPREPLY=($(compgen -W "rollup full" -- "$cur"))
		return
		;;
	--min-rate | --min-r2 | --min-rising | --pss-top)
		return
		;;
	--what)
		COMPREPLY=($(compgen -W "procs slab vmalloc kernel" -- "${cur##*,}"))
		return
		;;
	--format)
		COMPREPLY=($(compgen -W "openmetrics prometheus" -- "$cur"))
		return
		;;
	--set)
		# RULE.KEY= of every threshold, as memlens explain --rules lists them.
		local keys
		keys=$("${words[0]}" explain --rules 2>/dev/null |
			sed -n 's/^  \([a-z-]*\.[a-z_0-9]*\)=.*/\1=/p')
		compopt -o nospace
		COMPREPLY=($(compgen -W "$keys" -- "$cur"))
		return
		;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return
		;;
	--sort)
		local k minus=
		for k in $sort_keys; do minus+=" -$k"; done
		COMPREPLY=($(compgen -W "$sort_keys $minus" -- "$cur"))
		return
		;;
	--by)
		COMPREPLY=($(compgen -W "caller module type" -- "$cur"))
		return
		;;
	--group)
		COMPREPLY=($(compgen -W "user command cgroup" -- "$cur"))
		return
		;;
	--view)
		if [[ $cmd == diff ]]; then
			COMPREPLY=($(compgen -W "summary meminfo slab vmalloc procs buddy zones cgroups" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "overview processes slab vmalloc buddy zones cgroups" -- "$cur"))
		fi
		return
		;;
	--user | -u)
		COMPREPLY=($(compgen -u -- "$cur"))
		return
		;;
	--pid | -p)
		_pids
		return
		;;
	esac
	if [[ $cur == --color=* ]]; then
		COMPREPLY=($(compgen -P --color= -W "auto always never" -- "${cur#--color=}"))
		return
	fi

	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$globals $opts" -- "$cur"))
	elif [[ -z $cmd || $cmd == help ]]; then
		COMPREPLY=($(compgen -W "$commands" -- "$cur"))
	elif [[ $cmd == maps ]]; then
		_pids
	elif [[ $cmd == diff || $cmd == explain || $cmd == growth ]]; then
		_filedir
	fi
} &&
	complete -F _memlens memlens
