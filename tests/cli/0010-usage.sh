#!/bin/sh
# The command line: --help, --version, command lookup, usage errors (exit 2)
# that name the mistake and the closest valid name.
. "$TOP_SRCDIR/tests/cli/lib.sh"

FIX="$FIXTURES/linux-6.18"

test_expect_success '--version prints the version' '
	ml --version >out &&
	grep -qx "memlens [0-9][0-9.]*" out
'

test_expect_success '--help lists the commands and options, exit 0' '
	ml --help >out &&
	grep -q "^  summary " out &&
	grep -q "^  meminfo " out &&
	grep -q -- "--proc-root DIR" out &&
	grep -q -- "-i, --interval SEC" out
'

test_expect_success 'COMMAND --help shows that command, exit 0' '
	ml meminfo --help >out &&
	grep -q "^Usage: memlens \[OPTION\]... meminfo" out &&
	ml --help summary >out2 &&
	grep -q "^Usage: memlens \[OPTION\]... summary" out2
'

test_expect_success 'unknown command: exit 2, named, closest suggested' '
	test_expect_code 2 ml --proc-root "$FIX" summry 2>err &&
	grep -q "unknown command '"'"'summry'"'"'; did you mean '"'"'summary'"'"'?" err &&
	grep -q "Try '"'"'memlens --help'"'"'" err
'

test_expect_success 'unknown command far from any: no suggestion' '
	test_expect_code 2 ml --proc-root "$FIX" xyzzyplugh 2>err &&
	grep -q "unknown command '"'"'xyzzyplugh'"'"'$" err
'

test_expect_success 'unknown long option: exit 2, closest suggested' '
	test_expect_code 2 ml --jsn 2>err &&
	grep -q "unknown option '"'"'--jsn'"'"'; did you mean '"'"'--json'"'"'?" err &&
	test_expect_code 2 ml meminfo --proc-rot=/x 2>err2 &&
	grep -q "did you mean '"'"'--proc-root'"'"'" err2
'

test_expect_success 'unknown short option: exit 2' '
	test_expect_code 2 ml -x 2>err &&
	grep -q "unknown option '"'"'-x'"'"'" err
'

test_expect_success 'missing option argument: exit 2' '
	test_expect_code 2 ml --proc-root 2>err &&
	grep -q "option '"'"'--proc-root'"'"' needs an argument" err &&
	test_expect_code 2 ml summary -i 2>err2 &&
	grep -q "option '"'"'--interval'"'"' needs an argument" err2
'

test_expect_success 'argument to a flag: exit 2' '
	test_expect_code 2 ml --bytes=3 2>err &&
	grep -q "option '"'"'--bytes'"'"' takes no argument" err
'

test_expect_success 'bad values: exit 2 with the value named' '
	test_expect_code 2 ml --json=yaml 2>err && grep -q "yaml" err &&
	test_expect_code 2 ml -i 0 2>err && grep -q "invalid interval '"'"'0'"'"'" err &&
	test_expect_code 2 ml -i abc 2>err && grep -q "invalid interval" err &&
	test_expect_code 2 ml -n 0 2>err && grep -q "invalid count '"'"'0'"'"'" err &&
	test_expect_code 2 ml -n 2x 2>err && grep -q "invalid count" err &&
	test_expect_code 2 ml --color=pink 2>err && grep -q "pink" err
'

test_expect_success 'options a command does not take: exit 2' '
	test_expect_code 2 ml --proc-root "$FIX" --sort size summary 2>err &&
	grep -q "'"'"'summary'"'"' does not take --sort or --limit" err &&
	test_expect_code 2 ml --proc-root "$FIX" meminfo --limit 3 2>err &&
	grep -q "does not take --sort or --limit" err
'

test_expect_success 'extra arguments: exit 2' '
	test_expect_code 2 ml --proc-root "$FIX" summary extra 2>err &&
	grep -q "unexpected argument '"'"'extra'"'"'" err
'

test_expect_success 'pretty JSON cannot repeat: exit 2' '
	test_expect_code 2 ml --proc-root "$FIX" --json=pretty -n 2 2>err &&
	grep -q "cannot repeat" err
'

test_expect_success 'a command by unambiguous prefix' '
	ml --proc-root "$FIX" mem >out &&
	grep -q "^memlens meminfo" out
'

test_expect_success 'global options after the command' '
	ml meminfo --proc-root "$FIX" -k >out &&
	grep -q "^(sizes in KiB)" out &&
	grep -q "^  MemTotal  *24684092 " out
'

test_expect_success 'no command runs summary' '
	ml --proc-root "$FIX" >out &&
	grep -q "^memlens summary of fixture-618" out
'

test_expect_success 'a prefix of another command'"'"'s option is not taken for a global one' '
	test_expect_code 2 ml --proc-root "$FIX" slab --by caller 2>err &&
	grep -q "'"'"'slab'"'"' has no option '"'"'--by'"'"' (it is vmalloc'"'"'s); --bytes must be written in full" err &&
	grep -q "Try '"'"'memlens slab --help'"'"'" err &&
	test_expect_code 2 ml --proc-root "$FIX" slab --b 2>err2 &&
	grep -q "ambiguous option '"'"'--b'"'"': --bytes, or vmalloc'"'"'s --by" err2 &&
	test_expect_code 2 ml --proc-root "$FIX" summary --ty 2>err3 &&
	grep -q "'"'"'summary'"'"' has no option '"'"'--ty'"'"' (buddy has --types)" err3 &&
	! grep -q -- "--si" err3 &&
	test_expect_code 2 ml --view slab top 2>err4 &&
	grep -q "option '"'"'--view'"'"' is top'"'"'s: give it after the command" err4
'

test_expect_success 'an ambiguous prefix names its candidates' '
	test_expect_code 2 ml --co 3 2>err &&
	grep -q "ambiguous option '"'"'--co'"'"': --count, --color$" err &&
	test_expect_code 2 ml --proc-root "$FIX" vmalloc --b 2>err2 &&
	grep -q "ambiguous option '"'"'--b'"'"': --bytes, --by$" err2 &&
	test_expect_code 2 ml --proc-root "$FIX" m 2>err3 &&
	grep -q "ambiguous command '"'"'m'"'"': meminfo, maps, metrics$" err3
'

test_expect_success 'unambiguous prefixes still work: a command'"'"'s own, a global one' '
	ml --proc-root "$FIX" vmalloc --ar 2 --lim 3 >out &&
	grep -q "^Largest areas" out &&
	ml --proc-root "$FIX" --col=never mem >out2 &&
	grep -q "^memlens meminfo" out2
'

test_expect_success 'suggestions are close or none: --ty is not --si' '
	test_expect_code 2 ml --proc-root "$FIX" --zz 2>err &&
	grep -q "unknown option '"'"'--zz'"'"'$" err &&
	test_expect_code 2 ml --proc-root "$FIX" --colr 2>err2 &&
	grep -q "did you mean '"'"'--color'"'"'?" err2
'

test_expect_success 'out-of-range numbers name the range' '
	test_expect_code 2 ml -i 1e9 2>err &&
	grep -q "invalid interval '"'"'1e9'"'"': give seconds from 0.01 to 31536000 (a year)" err &&
	test_expect_code 2 ml -n 99999999999999999999 2>err2 &&
	grep -q "invalid count '"'"'99999999999999999999'"'"': give a whole number from 1 to 9223372036854775807" err2 &&
	test_expect_code 2 ml --limit -1 slab 2>err3 &&
	grep -q "give a whole number from 0 (all) to 9223372036854775807" err3
'

test_expect_success '"memlens help" is --help, "memlens help COMMAND" the command'"'"'s' '
	ml --help >want &&
	ml help >got &&
	test_cmp want got &&
	ml slab --help >want2 &&
	ml help slab >got2 &&
	test_cmp want2 got2 &&
	test_expect_code 2 ml help nosuch 2>err &&
	grep -q "unknown command '"'"'nosuch'"'"'" err
'

test_expect_success '--help says first that -h is --human, as in free' '
	ml --help | sed -n 1,4p >head &&
	grep -q -- "-h is --human" head &&
	grep -q "memlens help" head
'

test_expect_success 'usage errors print nothing on stdout' '
	test_expect_code 2 ml --nope >out 2>/dev/null &&
	test ! -s out
'

test_done
