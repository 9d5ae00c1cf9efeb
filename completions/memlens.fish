# fish completion for memlens(1). Keep in step with the command table
# (src/cmd/cmd.c); tests/cli/0090-docs-agree.sh checks it.

set -l commands summary meminfo procs maps
complete -c memlens -f
complete -c memlens -n "not __fish_seen_subcommand_from $commands" -a summary -d 'where MemTotal goes, the headline figures'
complete -c memlens -n "not __fish_seen_subcommand_from $commands" -a meminfo -d 'every /proc/meminfo field, explained'
complete -c memlens -n "not __fish_seen_subcommand_from $commands" -a procs -d 'processes ranked by PSS, USS, RSS or swap'
complete -c memlens -n "not __fish_seen_subcommand_from $commands" -a maps -d 'one process memory by kind of mapping'
complete -c memlens -n "__fish_seen_subcommand_from procs" -l group -x -a 'user command' -d 'one row per user or command'
complete -c memlens -n "__fish_seen_subcommand_from procs" -s u -l user -x -a '(__fish_complete_users)' -d 'only processes of USER'
complete -c memlens -n "__fish_seen_subcommand_from procs" -s p -l pid -x -a '(__fish_complete_pids)' -d 'only these PIDs'
complete -c memlens -n "__fish_seen_subcommand_from procs" -l match -x -d 'only commands matching REGEX'
complete -c memlens -n "__fish_seen_subcommand_from maps" -l all -d 'list every mapping'
complete -c memlens -n "__fish_seen_subcommand_from maps" -x -a '(__fish_complete_pids)'

complete -c memlens -l proc-root -r -a '(__fish_complete_directories)' -d 'read procfs from DIR'
complete -c memlens -l sys-root -r -a '(__fish_complete_directories)' -d 'read sysfs from DIR'
complete -c memlens -l json -d 'print JSON (--json=pretty to indent)'
complete -c memlens -s i -l interval -x -d 'repeat every SEC seconds'
complete -c memlens -s n -l count -x -d 'print N reports'
complete -c memlens -s b -l bytes -d 'sizes in bytes'
complete -c memlens -s k -l kibi -d 'sizes in KiB'
complete -c memlens -s m -l mebi -d 'sizes in MiB'
complete -c memlens -s g -l gibi -d 'sizes in GiB'
complete -c memlens -s h -l human -d 'sizes scaled to a readable unit'
complete -c memlens -l si -d 'powers of 1000'
complete -c memlens -l sort -x -d 'order rows by KEY'
complete -c memlens -l limit -x -d 'at most N rows'
complete -c memlens -l color -x -a 'auto always never' -d 'color output'
complete -c memlens -l help -d 'show help'
complete -c memlens -l version -d 'show the version'
