# introspection-command.tcl: the COMMAND command.
#
# Covers COMMAND, COUNT, INFO, DOCS, LIST (and its filters), GETKEYS,
# GETKEYSANDFLAGS and HELP: the reply shapes in RESP2 and RESP3, the facts
# shown for a few well-known commands, and key extraction for every kind of
# key spec (index, keyword, range, counted keys) and for the commands that
# need a dedicated extractor (SET, BITFIELD, SORT, MIGRATE).
#
# ringkv lists only the commands it implements, so tests about a command that
# may not be implemented yet skip themselves when COMMAND LIST lacks it (see
# need_commands); they all pass against Redis 7.0, which has every command.
# Texts that are ours rather than Redis's (summaries, key-spec notes, history
# texts) are checked for presence, not content.

# Skips the current test unless every named command is listed.
proc need_commands {args} {
    set listed [r command list]
    foreach name $args {
        if {[lsearch -exact $listed $name] < 0} { skip "$name not implemented" }
    }
}

# Sends a command in raw mode and returns as many protocol lines as the
# expected text has words, joined by spaces (to compare with that text).
proc raw_reply_lines {expected args} {
    r readraw 1
    set lines [list [r {*}$args]]
    for {set i 1} {$i < [llength [split $expected " "]]} {incr i} { lappend lines [r read] }
    r readraw 0
    return [join $lines " "]
}

start_server {tags {"introspection"}} {

test {COMMAND COUNT is the number of top-level commands} {
    set top {}
    foreach name [r command list] {
        if {[string first | $name] < 0} { lappend top $name }
    }
    assert_equal [llength $top] [r command count]
    assert_equal [llength [r command]] [r command count]
    assert_morethan [r command count] 0
}

test {COMMAND LIST has no duplicates and lists subcommands after their parent} {
    set names [r command list]
    assert_equal [llength $names] [llength [lsort -unique $names]]
    foreach name $names {
        if {[set bar [string first | $name]] >= 0} {
            set parent [string range $name 0 [expr {$bar - 1}]]
            assert {[lsearch -exact $names $parent] >= 0} "$name without $parent"
        }
    }
    assert {[lsearch -exact $names command|info] >= 0}
}

test {Every listed command answers COMMAND INFO with its own name} {
    foreach name [r command list] {
        set info [lindex [r command info $name] 0]
        assert_equal 10 [llength $info] "COMMAND INFO $name"
        assert_equal $name [lindex $info 0]
    }
}

test {COMMAND and COMMAND INFO without names describe the same commands} {
    set a {}
    foreach e [r command] { lappend a [lindex $e 0] }
    set b {}
    foreach e [r command info] { lappend b [lindex $e 0] }
    assert_equal [lsort $a] [lsort $b]
    set top {}
    foreach name [r command list] {
        if {[string first | $name] < 0} { lappend top $name }
    }
    assert_equal [lsort $top] [lsort $a]
}

test {COMMAND INFO GET} {
    assert_equal {{get 2 {readonly fast} 1 1 1 {@read @string @fast} {} {{flags {RO access} begin_search {type index spec {index 1}} find_keys {type range spec {lastkey 0 keystep 1 limit 0}}}} {}}} \
        [r command info get]
}

test {COMMAND INFO SET, with a key-spec note} {
    lassign [lindex [r command info set] 0] name arity flags first last step acl tips specs subs
    assert_equal set $name
    assert_equal -3 $arity
    assert_equal {write denyoom} $flags
    assert_equal {1 1 1} [list $first $last $step]
    assert_equal {@write @string @slow} $acl
    assert_equal {} $tips
    assert_equal {} $subs
    assert_equal 1 [llength $specs]
    set spec [lindex $specs 0]
    assert_equal {notes flags begin_search find_keys} [dict keys $spec]
    assert {[string length [dict get $spec notes]] > 0}
    assert_equal {RW access update variable_flags} [dict get $spec flags]
    assert_equal {type index spec {index 1}} [dict get $spec begin_search]
    assert_equal {type range spec {lastkey 0 keystep 1 limit 0}} [dict get $spec find_keys]
}

test {COMMAND INFO of a subcommand by its full name, any case} {
    assert_equal {{command|info -2 {loading stale} 0 0 0 {@slow @connection} nondeterministic_output_order {} {}}} \
        [r command info command|info]
    assert_equal [r command info command|info] [r command info COMMAND|INFO]
}

test {COMMAND INFO CONFIG|GET} {
    need_commands config|get
    assert_equal {{config|get -3 {admin noscript loading stale} 0 0 0 {@admin @slow @dangerous} {} {} {}}} \
        [r command info config|get]
}

test {COMMAND INFO of a container lists its subcommands} {
    set info [lindex [r command info command] 0]
    assert_equal command [lindex $info 0]
    assert_equal -1 [lindex $info 1]
    set subs {}
    foreach s [lindex $info 9] { lappend subs [lindex $s 0] }
    assert_equal [lsort [r command list filterby pattern command|*]] [lsort $subs]
}

test {COMMAND INFO answers nil for unknown names, in place} {
    assert_equal {{} {} {} {}} [r command info nosuchcmd get|x command|nosuch command|info|x]
    set reply [r command info nosuchcmd get]
    assert_equal 2 [llength $reply]
    assert_equal {} [lindex $reply 0]
    assert_equal get [lindex $reply 1 0]
}

test {COMMAND INFO in RESP2: nil is a null bulk, sets are arrays} {
    set expected {*1 $-1}
    assert_equal $expected [raw_reply_lines $expected command info nosuchcmd]
}

test {COMMAND INFO in RESP3: sets, maps and nulls} {
    set expected {*2 *10 $3 get :2 ~2 +readonly +fast :1 :1 :1 ~3 +@read +@string +@fast ~0 ~1 %3 $5 flags ~2 +RO +access $12 begin_search %2 $4 type $5 index $4 spec %1 $5 index :1 $9 find_keys %2 $4 type $5 range $4 spec %3 $7 lastkey :0 $7 keystep :1 $5 limit :0 ~0 _}
    r hello 3
    set got [raw_reply_lines $expected command info get nosuchcmd]
    r hello 2
    assert_equal $expected $got
}

test {COMMAND INFO shows keyword and counted key specs} {
    need_commands xread zunionstore
    set xread [lindex [r command info xread] 0]
    assert_equal {readonly blocking movablekeys} [lindex $xread 2]
    assert_equal {{flags {RO access} begin_search {type keyword spec {keyword STREAMS startfrom 1}} find_keys {type range spec {lastkey -1 keystep 1 limit 2}}}} \
        [lindex $xread 8]
    set zu [lindex [r command info zunionstore] 0]
    assert_equal {type keynum spec {keynumidx 0 firstkey 1 keystep 1}} \
        [dict get [lindex $zu 8 1] find_keys]
}

test {COMMAND DOCS GET} {
    set docs [r command docs get]
    assert_equal {get} [dict keys $docs]
    set d [dict get $docs get]
    assert_equal {summary since group complexity arguments} [dict keys $d]
    assert {[string length [dict get $d summary]] > 0}
    assert_equal 1.0.0 [dict get $d since]
    assert_equal string [dict get $d group]
    assert_equal O(1) [dict get $d complexity]
    assert_equal {{name key type key key_spec_index 0}} [dict get $d arguments]
}

test {COMMAND DOCS SET: history and the argument tree} {
    set d [dict get [r command docs set] set]
    assert_equal {summary since group complexity history arguments} [dict keys $d]
    set versions {}
    foreach h [dict get $d history] {
        assert_equal 2 [llength $h]
        assert {[string length [lindex $h 1]] > 0}
        lappend versions [lindex $h 0]
    }
    assert_equal {2.6.12 6.0.0 6.2.0 7.0.0} $versions
    set args [dict get $d arguments]
    set names {}
    foreach a $args { lappend names [dict get $a name] }
    assert_equal {key value condition get expiration} $names
    assert_equal {name condition type oneof since 2.6.12 flags optional arguments {{name nx type pure-token token NX} {name xx type pure-token token XX}}} \
        [lindex $args 2]
    assert_equal {name get type pure-token token GET since 6.2.0 flags optional} [lindex $args 3]
    set exp [lindex $args 4]
    assert_equal oneof [dict get $exp type]
    assert_equal {name keepttl type pure-token token KEEPTTL since 6.0.0} [lindex [dict get $exp arguments] end]
}

test {COMMAND DOCS of a container nests its subcommands by full name} {
    set d [dict get [r command docs command] command]
    foreach field {summary since group subcommands} {
        assert {[dict exists $d $field]} "missing $field"
    }
    assert_equal server [dict get $d group]
    set subs [dict get $d subcommands]
    assert_equal [lsort [r command list filterby pattern command|*]] [lsort [dict keys $subs]]
    set count [dict get $subs command|count]
    assert_equal {summary since group complexity} [dict keys $count]
    assert_equal O(1) [dict get $count complexity]
}

test {COMMAND DOCS skips unknown names and accepts full names} {
    set docs [r command docs nosuchcmd get command|count get|x]
    assert_equal {get command|count} [dict keys $docs]
    assert_equal {} [r command docs nosuchcmd]
}

test {COMMAND DOCS without names documents every top-level command} {
    set docs [r command docs]
    assert_equal [r command count] [dict size $docs]
    foreach {name d} $docs {
        assert {[dict exists $d since]} "$name has no since"
        assert {[dict exists $d group]} "$name has no group"
    }
}

test {COMMAND DOCS marks deprecated commands} {
    need_commands getset
    set d [dict get [r command docs getset] getset]
    assert_equal deprecated [dict get $d doc_flags]
    assert_equal 6.2.0 [dict get $d deprecated_since]
    assert {[dict exists $d replaced_by]}
}

test {COMMAND LIST FILTERBY ACLCAT} {
    set read [r command list filterby aclcat read]
    assert {[lsearch -exact $read get] >= 0}
    assert {[lsearch -exact $read set] < 0}
    assert_equal [lsort $read] [lsort [r command list filterby aclcat READ]]
    assert_equal {} [r command list filterby aclcat nosuchcategory]
    assert_equal {} [r command list filterby aclcat @read]
    # every listed command really has the category
    foreach name $read {
        assert {[lsearch -exact [lindex [r command info $name] 0 6] @read] >= 0} $name
    }
}

test {COMMAND LIST FILTERBY PATTERN matches full names without case} {
    assert_equal [lsort [r command list filterby pattern command*]] \
        [lsort [concat command [r command list filterby pattern command|*]]]
    assert_equal [lsort [r command list filterby pattern COMMAND|C*]] {command|count}
    assert_equal {} [r command list filterby pattern nosuch*]
}

test {COMMAND LIST FILTERBY MODULE finds nothing without modules} {
    assert_equal {} [r command list filterby module nosuchmodule]
}

test {COMMAND LIST syntax errors} {
    assert_error {ERR syntax error} {r command list filterby}
    assert_error {ERR syntax error} {r command list x}
    assert_error {ERR syntax error} {r command list filterby aclcat}
    assert_error {ERR syntax error} {r command list filterby aclcat read extra}
    assert_error {ERR syntax error} {r command list filterby nosuchfilter x}
}

test {COMMAND GETKEYS with a fixed key position} {
    assert_equal {k} [r command getkeys get k]
    assert_equal {{k {RO access}}} [r command getkeysandflags get k]
}

test {COMMAND GETKEYS with a key range} {
    need_commands mget mset del
    assert_equal {a b c} [r command getkeys mget a b c]
    assert_equal {a b} [r command getkeys mset a 1 b 2]
    assert_equal {{a {OW update}} {b {OW update}}} [r command getkeysandflags mset a 1 b 2]
    assert_equal {a b} [r command getkeys del a b]
}

test {COMMAND GETKEYS of a subcommand} {
    need_commands object|encoding
    assert_equal {k} [r command getkeys object encoding k]
}

test {COMMAND GETKEYSANDFLAGS: SET flags depend on GET} {
    assert_equal {{a {OW update}}} [r command getkeysandflags set a b]
    assert_equal {{a {RW access update}}} [r command getkeysandflags set a b get]
    assert_equal {{a {RW access update}}} [r command getkeysandflags set a b nx GeT ex 10]
}

test {COMMAND GETKEYS errors} {
    assert_error {ERR Invalid command specified} {r command getkeys nosuchcmd a}
    assert_error {ERR Invalid command specified} {r command getkeys command|info a}
    assert_error {ERR Invalid number of arguments specified for command} {r command getkeys get a b}
    assert_error {ERR The command has no key arguments} {r command getkeys command count}
    assert_error {ERR The command has no key arguments} {r command getkeysandflags command info}
    assert_error {*wrong number of arguments for 'command|getkeys'*} {r command getkeys}
    assert_error {*wrong number of arguments for 'command|getkeysandflags'*} {r command getkeysandflags}
}

test {COMMAND GETKEYS: not-a-key specs (shard channels)} {
    need_commands spublish
    assert_error {ERR The command has no key arguments} {r command getkeys spublish ch msg}
}

test {COMMAND GETKEYS with counted keys} {
    need_commands zunionstore zinter
    assert_equal {d a b} [r command getkeys zunionstore d 2 a b weights 1 2]
    assert_equal {{d {OW update}} {a {RO access}} {b {RO access}}} \
        [r command getkeysandflags zunionstore d 2 a b]
    assert_equal {a b} [r command getkeys zinter 2 a b]
    # a count beyond the arguments, zero or negative: no keys at all
    assert_error {ERR Invalid arguments specified for command} {r command getkeys zunionstore d 5 a b}
    assert_error {ERR Invalid arguments specified for command} {r command getkeys zunionstore d 0 a}
    assert_error {ERR Invalid arguments specified for command} {r command getkeys zunionstore d -1 a}
    # a count with trailing garbage is read leniently by the fallback path,
    # which lists the destination last
    assert_equal {a b d} [r command getkeys zunionstore d 2x a b]
}

test {COMMAND GETKEYS of scripts: keys are optional} {
    need_commands eval
    assert_equal {a b} [r command getkeys eval script 2 a b c]
    assert_equal {} [r command getkeys eval script 0]
    assert_equal {} [r command getkeys eval script 5 a]
    assert_equal {} [r command getkeys eval script notanumber]
}

test {COMMAND GETKEYS after a keyword} {
    need_commands xread
    assert_equal {a b} [r command getkeys xread streams a b 0 0]
    assert_equal {a} [r command getkeys xread count 2 streams a 0]
    # an odd tail: only the first half are keys
    assert_equal {a} [r command getkeys xread streams a b 0]
    assert_equal {streams} [r command getkeys xread streams streams a 1]
    assert_error {ERR Invalid arguments specified for command} {r command getkeys xread count 2 a 0}
}

test {COMMAND GETKEYS with optional keyword keys} {
    need_commands georadius
    assert_equal {a} [r command getkeys georadius a 1 2 3 m]
    assert_equal {{a {RO access}} {x {OW update}}} [r command getkeysandflags georadius a 1 2 3 m store x]
    # STORE as the last argument names no key
    assert_equal {a} [r command getkeys georadius a 1 2 3 m store]
}

test {COMMAND GETKEYS of SORT} {
    need_commands sort sort_ro
    assert_equal {a z} [r command getkeys sort a by x get y store z limit 0 1]
    assert_equal {a z} [r command getkeys sort a limit store x store z]
    assert_equal {a} [r command getkeys sort a store]
    assert_equal {{a {RO access}} {z {OW update}}} [r command getkeysandflags sort a store z]
    assert_equal {a} [r command getkeys sort_ro a by x]
}

test {COMMAND GETKEYS of MIGRATE} {
    need_commands migrate
    assert_equal {k} [r command getkeys migrate h 1 k 0 5]
    assert_equal {a b} [r command getkeys migrate h 1 "" 0 5 copy replace keys a b]
    assert_equal {a} [r command getkeys migrate h 1 "" 0 5 auth2 user pass keys a]
    assert_equal {{a {RW access delete}}} [r command getkeysandflags migrate h 1 "" 0 5 keys a]
    # KEYS needs an empty key argument
    assert_error {ERR Invalid arguments specified for command} {r command getkeys migrate h 1 k 0 5 keys a b}
}

test {COMMAND GETKEYSANDFLAGS of BITFIELD} {
    need_commands bitfield
    assert_equal {{a {RO access}}} [r command getkeysandflags bitfield a get u8 0]
    assert_equal {{a {RO access}}} [r command getkeysandflags bitfield a get u8 0 overflow wrap get u8 1]
    assert_equal {{a {RW access update}}} [r command getkeysandflags bitfield a set u8 0 1]
    assert_equal {{a {RW access update}}} [r command getkeysandflags bitfield a get u8]
}

test {COMMAND GETKEYSANDFLAGS in RESP3: flags are a set} {
    set expected {*1 *2 $1 a ~2 +OW +update}
    r hello 3
    set got [raw_reply_lines $expected command getkeysandflags set a b]
    r hello 2
    assert_equal $expected $got
}

test {COMMAND HELP} {
    set help [r command help]
    assert_match {COMMAND <subcommand> *} [lindex $help 0]
    foreach word {COUNT LIST INFO DOCS GETKEYS GETKEYSANDFLAGS HELP} {
        assert {[lsearch -glob $help "$word*"] >= 0} "no line for $word"
    }
}

test {COMMAND with an unknown subcommand} {
    assert_error {ERR unknown subcommand 'nosuch'. Try COMMAND HELP.} {r command nosuch}
    assert_error {*wrong number of arguments for 'command|count'*} {r command count x}
}

}
