# difftest.tcl -- differential testing: one seeded random command stream sent
# to two servers (ringkv and Debian's redis-server), every reply compared.
#
# Why: our own tests check what we thought of; the reference server checks
# everything else.  Commands come from a small key pool so that they collide
# (type errors, overwrites, renames onto existing keys), and arguments are
# drawn from edge-heavy pools (integer limits, malformed numbers, empty
# strings) and include wrong arities and bad options, so error paths are
# compared as much as happy paths.
#
# Two kinds of units alternate, both drawn from the same seeded generator:
#   * batches of main-stream commands, pipelined on one RESP2 connection;
#   * scenarios, run step by step over several connections to the same
#     server: subscribers (RESP2 and RESP3) against publishers, MULTI/EXEC
#     blocks, WATCH with a second client modifying keys in between.
# A keyspace listener receives every notification (the main stream changes
# notify-keyspace-events now and then), and after every batch and step each
# listening connection is synchronised with a PING token and what it
# received is compared too.  So pub/sub delivery, subscribed-mode rules,
# transactions and notify events are all checked against the reference.
#
# Replies are read raw (our own minimal RESP reader, independent of the test
# client) and compared after a per-command normalisation: replies whose order
# Redis leaves unspecified are sorted, and values that depend on the clock
# (relative TTLs) or the connection (HELLO's id) are reduced.
#
# Usage (from Tcl):
#   source tests/support/difftest.tcl
#   set diffs [difftest::run $hostA $portA $hostB $portB -seed 1 -count 100000]
# Each difference is printed with the command or scenario that caused it and
# both servers' replies.  The servers should not have other subscribers.

namespace eval difftest {
    variable generators {}   ;# name weight ... (main-stream commands)
    variable scenarios {}    ;# name weight ... (multi-connection sequences)
    variable table {}        ;# weighted choice table of generators
    variable rng 1
}

# --- deterministic PRNG (independent of Tcl's rand, for replayable seeds) --
proc difftest::srand {seed} { variable rng; set rng [expr {(($seed * 2654435761 + 12345) % 2147483646) + 1}] }
proc difftest::rand {n} {
    variable rng
    # 31-bit LCG (Park-Miller minimal standard): deterministic across platforms.
    set rng [expr {($rng * 48271) % 2147483647}]
    return [expr {$rng % $n}]
}
proc difftest::pick {list} { lindex $list [rand [llength $list]] }
proc difftest::chance {percent} { expr {[rand 100] < $percent} }

# --- argument pools --------------------------------------------------------
proc difftest::key {} {
    if {[chance 3]} { return "" }
    return "k[rand 8]"
}
proc difftest::val {} {
    switch [rand 8] {
        0 { return [int] }
        1 { return "" }
        2 { return [string repeat x [rand 60]] }
        3 { return [float] }
        4 { return "v[rand 1000]" }
        5 { return [binary format c* [list 0 13 10 255 [rand 128]]] }
        6 { return "hello world" }
        default { return [rand 100] }
    }
}
proc difftest::int {} {
    pick {0 1 -1 2 10 100 -100 9223372036854775807 -9223372036854775808
          9223372036854775808 -9223372036854775809 "1.5" "abc" "" " 1" "01"
          "-0" "+1" 3 4 5 17 1000000 4294967296 "0x10" 2147483647 -2147483648}
}
proc difftest::smallint {} {
    pick {0 1 -1 2 3 5 -2 -5 10 -10 100 -100 "a" "" 7 1000}
}
proc difftest::float {} {
    pick {0 1.5 -1.5 "1e3" "3.0e3" "0.1" "inf" "-inf" "+inf" "nan" "1e400" "5.0" "-0.0"
          "10.5" "1.7976931348623157e308" "abc" "" "2" ".5" "5." "1e-5"}
}
# No offset near 2^32: a valid one would allocate 512 MB on both servers.
proc difftest::bitoffset {} { pick {0 1 7 8 15 31 100 1000 -1 "x" 4294967296 99999999999} }
proc difftest::pattern {} { pick {* k* k? k\[0-3\] *\[^5\] "" k1 {k\*} h?llo {[} {\\}} }
proc difftest::future_unix {} { expr {[clock seconds] + 100000 + [rand 1000]} }
proc difftest::past_unix {} { expr {[clock seconds] - 100000} }
# Relative times are read as seconds or milliseconds depending on the
# command, so every positive one is hours long even as milliseconds: a key
# that expires during the run would make replies (and, with keyspace
# notifications on, the event streams) depend on timing.  Long runs last
# minutes, so 100 s would not be enough.
proc difftest::ttl {} { pick {10000000 100000000 1000000000 0 -1 -100 x "" 1.5 9223372036854775807 100000000000000 9223372036854775} }

# --- generators: each returns one command as a list ---------------------
proc difftest::gen {name weight body} {
    variable generators
    proc ::difftest::g_$name {} $body
    lappend generators $name $weight
}

# Strings
difftest::gen get 6 { list GET [key] }
difftest::gen set 8 {
    set cmd [list SET [key] [val]]
    foreach opt {NX XX GET KEEPTTL} { if {[chance 12]} { lappend cmd $opt } }
    # Absolute times stay in the future: a past EXAT leaves a key that is
    # logically expired but still counted by DBSIZE until the active expire
    # cycle reclaims it, at a moment that differs between servers.
    if {[chance 20]} {
        switch [rand 4] {
            0 { lappend cmd EX [ttl] }
            1 { lappend cmd PX [ttl] }
            2 { lappend cmd EXAT [pick [list [future_unix] 0 -1 x]] }
            3 { lappend cmd PXAT [pick [list [expr {[future_unix] * 1000}] 0 x]] }
        }
    }
    if {[chance 3]} { lappend cmd [pick {EX PX}] }
    if {[chance 2]} { lappend cmd BOGUS }
    return $cmd
}
difftest::gen setnx 2 { list SETNX [key] [val] }
difftest::gen setex 2 { list SETEX [key] [ttl] [val] }
difftest::gen psetex 1 { list PSETEX [key] [ttl] [val] }
difftest::gen getset 2 { list GETSET [key] [val] }
difftest::gen getdel 2 { list GETDEL [key] }
difftest::gen getex 2 {
    set cmd [list GETEX [key]]
    if {[chance 40]} { lappend cmd [pick {EX PX EXAT PXAT}] [ttl] }
    if {[chance 15]} { lappend cmd PERSIST }
    return $cmd
}
difftest::gen mget 2 { list MGET [key] [key] [key] }
difftest::gen mset 2 { set c [list MSET [key] [val]]; if {[chance 50]} { lappend c [key] [val] }; if {[chance 5]} { lappend c [key] }; set c }
difftest::gen msetnx 1 { list MSETNX [key] [val] [key] [val] }
difftest::gen append 3 { list APPEND [key] [val] }
difftest::gen strlen 2 { list STRLEN [key] }
difftest::gen incr 4 { list INCR [key] }
difftest::gen decr 2 { list DECR [key] }
difftest::gen incrby 3 { list INCRBY [key] [int] }
difftest::gen decrby 2 { list DECRBY [key] [int] }
difftest::gen incrbyfloat 3 { list INCRBYFLOAT [key] [float] }
difftest::gen getrange 2 { list GETRANGE [key] [smallint] [smallint] }
difftest::gen substr 1 { list SUBSTR [key] [smallint] [smallint] }
difftest::gen setrange 2 { list SETRANGE [key] [pick {0 1 5 10 -1 x 100}] [val] }
difftest::gen lcs 1 {
    set c [list LCS [key] [key]]
    foreach o {LEN IDX WITHMATCHLEN} { if {[chance 25]} { lappend c $o } }
    if {[chance 15]} { lappend c MINMATCHLEN [smallint] }
    return $c
}
difftest::gen setbit 2 { list SETBIT [key] [bitoffset] [pick {0 1 1 0 2 x}] }
difftest::gen getbit 2 { list GETBIT [key] [bitoffset] }
difftest::gen bitcount 2 {
    set c [list BITCOUNT [key]]
    if {[chance 60]} { lappend c [smallint] [smallint]; if {[chance 30]} { lappend c [pick {BYTE BIT bit x}] } }
    return $c
}
difftest::gen bitpos 2 {
    set c [list BITPOS [key] [pick {0 1 2}]]
    if {[chance 60]} { lappend c [smallint]; if {[chance 60]} { lappend c [smallint]; if {[chance 30]} { lappend c [pick {BYTE BIT}] } } }
    return $c
}
difftest::gen bitop 1 {
    set op [pick {AND OR XOR NOT and FOO}]
    set c [list BITOP $op [key] [key]]
    if {[chance 50]} { lappend c [key] }
    return $c
}
difftest::gen bitfield 2 {
    set c [list BITFIELD [key]]
    for {set i 0} {$i < 1 + [rand 3]} {incr i} {
        set type [pick {i8 u8 i16 u4 i64 u63 u64 i1 x8 i0}]
        set off [pick {0 1 8 #1 #2 100 -1}]
        switch [rand 4] {
            0 { lappend c GET $type $off }
            1 { lappend c SET $type $off [int] }
            2 { lappend c INCRBY $type $off [smallint] }
            3 { lappend c OVERFLOW [pick {WRAP SAT FAIL BAD}] }
        }
    }
    return $c
}
difftest::gen bitfield_ro 1 { list BITFIELD_RO [key] GET [pick {i8 u8 u16 i64}] [pick {0 1 #1 8}] }

# Keyspace
difftest::gen del 3 { list DEL [key] [key] }
difftest::gen unlink 1 { list UNLINK [key] }
difftest::gen exists 2 { list EXISTS [key] [key] [key] }
difftest::gen type 2 { list TYPE [key] }
difftest::gen keys 1 { list KEYS [pattern] }
difftest::gen rename 2 { list RENAME [key] [key] }
difftest::gen renamenx 1 { list RENAMENX [key] [key] }
difftest::gen move 1 { list MOVE [key] [pick {0 1 2 16 -1 x}] }
difftest::gen copy 2 {
    set c [list COPY [key] [key]]
    if {[chance 30]} { lappend c DB [pick {0 1 2 16 x}] }
    if {[chance 30]} { lappend c REPLACE }
    return $c
}
difftest::gen dbsize 1 { list DBSIZE }
difftest::gen touch 1 { list TOUCH [key] [key] }
# REFCOUNT: Redis shares the small integers, except in a value made by COPY.
difftest::gen object 2 { list OBJECT [pick {ENCODING ENCODING encoding REFCOUNT FOO}] [key] }
difftest::gen expire 3 {
    set c [list [pick {EXPIRE PEXPIRE}] [key] [ttl]]
    if {[chance 30]} { lappend c [pick {NX XX GT LT nx BAD}] }
    if {[chance 5]} { lappend c [pick {NX XX GT LT}] }
    return $c
}
difftest::gen expireat 2 {
    set t [pick [list [future_unix] [past_unix] 0 -1 x]]
    set c [list EXPIREAT [key] $t]
    if {[chance 20]} { lappend c [pick {NX XX GT LT}] }
    return $c
}
difftest::gen pexpireat 1 { list PEXPIREAT [key] [expr {[future_unix] * 1000}] }
difftest::gen ttl 3 { list [pick {TTL PTTL EXPIRETIME PEXPIRETIME}] [key] }
difftest::gen persist 2 { list PERSIST [key] }
difftest::gen select 1 { list SELECT [pick {0 0 0 1 2 16 -1 x}] }
difftest::gen swapdb 1 { list SWAPDB [pick {0 1 2 16 x}] [pick {0 1 2}] }
difftest::gen flushdb 1 { if {[chance 10]} { list FLUSHDB } else { list PING } }
difftest::gen echo 1 { list ECHO [val] }
difftest::gen ping 1 { if {[chance 50]} { list PING } else { list PING [val] } }
difftest::gen arity 1 { list [pick {GET SET INCR EXPIRE TTL DEL APPEND}] }
difftest::gen unknown 1 { list [pick {FOOBAR GETT}] [key] }
# Pub/Sub without subscribers (the stream has a single connection, and a
# subscription would turn every later reply into a subscribed-mode error):
# receiver counts, introspection and argument errors.
difftest::gen publish 1 {
    switch [rand 3] {
        0 { list PUBLISH [key] [val] }
        1 { list SPUBLISH [key] [val] }
        2 { list [pick {PUBLISH SPUBLISH}] [key] }
    }
}
difftest::gen pubsub 1 {
    switch [rand 5] {
        0 { list PUBSUB [pick {CHANNELS SHARDCHANNELS}] }
        1 { list PUBSUB [pick {CHANNELS SHARDCHANNELS}] [pattern] }
        2 { list PUBSUB [pick {NUMSUB SHARDNUMSUB}] [key] [key] }
        3 { list PUBSUB NUMPAT }
        4 { list PUBSUB [pick {NUMPAT CHANNELS NOSUCH}] x y }
    }
}

# Data types (issue 3).  Keys are shared with the string generators above,
# so type errors are exercised too.  Random-reply commands (SPOP, SRANDMEMBER,
# HRANDFIELD, ZRANDMEMBER) are left out; cursors (SCAN/SSCAN/HSCAN/ZSCAN)
# are compared whole by the "scan" scenario.
proc difftest::member {} { pick {a b c d e 1 2 3 10 -5 "" x1 yy} }
proc difftest::score {} { pick {0 1 -1 1.5 2 3 -inf +inf inf 1e3 abc "" 10 100} }
difftest::gen lpush 3 { list [pick {LPUSH RPUSH LPUSHX RPUSHX}] [key] [member] [member] }
difftest::gen lpop 2 { set c [list [pick {LPOP RPOP}] [key]]; if {[chance 40]} { lappend c [pick {0 1 2 5 -1 x}] }; set c }
difftest::gen lrange 2 { list LRANGE [key] [smallint] [smallint] }
difftest::gen llen 1 { list LLEN [key] }
difftest::gen lindex 1 { list LINDEX [key] [smallint] }
difftest::gen lset 1 { list LSET [key] [smallint] [member] }
difftest::gen linsert 1 { list LINSERT [key] [pick {BEFORE AFTER x}] [member] [member] }
difftest::gen lrem 1 { list LREM [key] [smallint] [member] }
difftest::gen ltrim 1 { list LTRIM [key] [smallint] [smallint] }
difftest::gen lpos 1 { set c [list LPOS [key] [member]]; if {[chance 40]} { lappend c RANK [pick {1 -1 2 0}] }; if {[chance 40]} { lappend c COUNT [pick {0 1 2}] }; set c }
difftest::gen lmove 1 { list LMOVE [key] [key] [pick {LEFT RIGHT}] [pick {LEFT RIGHT x}] }
difftest::gen hset 3 { list HSET [key] [member] [val] }
difftest::gen hget 2 { list [pick {HGET HEXISTS HSTRLEN}] [key] [member] }
difftest::gen hdel 1 { list HDEL [key] [member] [member] }
difftest::gen hlen 1 { list HLEN [key] }
difftest::gen hincrby 1 { list HINCRBY [key] [member] [int] }
difftest::gen hincrbyfloat 1 { list HINCRBYFLOAT [key] [member] [float] }
difftest::gen hmget 1 { list HMGET [key] [member] [member] }
difftest::gen hgetall 1 { list [pick {HGETALL HKEYS HVALS}] [key] }
difftest::gen hsetnx 1 { list HSETNX [key] [member] [val] }
difftest::gen sadd 3 { list SADD [key] [member] [member] }
difftest::gen srem 1 { list SREM [key] [member] }
difftest::gen sismember 1 { list [pick {SISMEMBER SMISMEMBER}] [key] [member] }
difftest::gen scard 1 { list SCARD [key] }
difftest::gen smembers 1 { list SMEMBERS [key] }
difftest::gen setop 2 { list [pick {SINTER SUNION SDIFF SINTERSTORE SUNIONSTORE SDIFFSTORE}] [key] [key] [key] }
difftest::gen sintercard 1 { list SINTERCARD 2 [key] [key] }
difftest::gen smove 1 { list SMOVE [key] [key] [member] }
difftest::gen zadd 3 {
    set c [list ZADD [key]]
    foreach o {NX XX GT LT CH INCR} { if {[chance 8]} { lappend c $o } }
    lappend c [score] [member]
    if {[chance 40]} { lappend c [score] [member] }
    return $c
}
difftest::gen zscore 2 { list [pick {ZSCORE ZRANK ZREVRANK}] [key] [member] }
difftest::gen zrange 2 {
    set c [list ZRANGE [key] [smallint] [smallint]]
    if {[chance 20]} { lappend c REV }
    if {[chance 30]} { lappend c WITHSCORES }
    return $c
}
difftest::gen zrangebyscore 1 { list [pick {ZRANGEBYSCORE ZCOUNT ZREMRANGEBYSCORE}] [key] [pick {-inf 0 1 (1 2 x}] [pick {+inf 2 3 (3 10 x}] }
difftest::gen zincrby 1 { list ZINCRBY [key] [score] [member] }
difftest::gen zrem 1 { list ZREM [key] [member] }
difftest::gen zcard 1 { list ZCARD [key] }
difftest::gen zpop 1 { set c [list [pick {ZPOPMIN ZPOPMAX}] [key]]; if {[chance 40]} { lappend c [pick {0 1 2 -1}] }; set c }
difftest::gen zsetop 1 { list [pick {ZUNIONSTORE ZINTERSTORE ZDIFFSTORE}] [key] 2 [key] [key] }
difftest::gen zunion 1 { list [pick {ZUNION ZINTER ZDIFF}] 2 [key] [key] WITHSCORES }

# More commands with keyspace events of their own (issue 5: every command
# that notifies in Redis must notify alike).  SORT has no BY nosort (a set
# would come back in hash order); SPOP/SRANDMEMBER/HRANDFIELD stay out
# (random replies).
difftest::gen lmpop 1 {
    set c [list LMPOP [pick {1 2 0}] [key] [key] [pick {LEFT RIGHT x}]]
    if {[chance 40]} { lappend c COUNT [pick {1 2 5 0 -1}] }
    return $c
}
difftest::gen zmpop 1 {
    set c [list ZMPOP [pick {1 2}] [key] [key] [pick {MIN MAX x}]]
    if {[chance 40]} { lappend c COUNT [pick {1 2 5 0}] }
    return $c
}
difftest::gen rpoplpush 1 { list RPOPLPUSH [key] [key] }
difftest::gen zrangestore 1 {
    set c [list ZRANGESTORE [key] [key]]
    switch [rand 3] {
        0 { lappend c [smallint] [smallint] }
        1 { lappend c [pick {-inf 0 (1}] [pick {+inf 2 10}] BYSCORE }
        2 { set c [list ZRANGESTORE [key] [lexkey] [pick {- {[a} (b}] [pick {+ {[z} (d}] BYLEX] }
    }
    if {[chance 20]} { lappend c REV }
    return $c
}
difftest::gen zremrange 1 {
    if {[chance 50]} {
        list ZREMRANGEBYRANK [key] [smallint] [smallint]
    } else {
        list ZREMRANGEBYLEX [lexkey] [pick {- {[a} (b x}] [pick {+ {[c} (e}]
    }
}
difftest::gen zrangebylex 1 { list [pick {ZRANGEBYLEX ZREVRANGEBYLEX ZLEXCOUNT}] [lexkey] [pick {- + {[a} (b}] [pick {+ - {[d} (e}] }
# Lex ranges are only defined when every member has the same score: on a
# skiplist with mixed scores Redis's answer depends on the nodes' random
# levels, and so on how many random numbers the active expire cycle drew
# before (a timing-dependent difference the differential test once hit).
# So they run on keys of their own that hold nothing but equal-score zsets,
# a string now and then (WRONGTYPE), or nothing.
proc difftest::lexkey {} { pick {lx0 lx1} }
difftest::gen lexwrite 2 {
    switch [rand 10] {
        0 { list SET [lexkey] [val] }
        1 { list DEL [lexkey] }
        default {
            set c [list ZADD [lexkey]]
            for {set i [rand 4]} {$i >= 0} {incr i -1} { lappend c 0 [member] }
            set c
        }
    }
}
difftest::gen zmscore 1 { list ZMSCORE [key] [member] [member] }
difftest::gen hmset 1 { list HMSET [key] [member] [val] [member] [val] }
difftest::gen pfadd 1 {
    switch [rand 3] {
        0 { list PFADD [key] [member] [member] }
        1 { list PFCOUNT [key] }
        2 { list PFMERGE [key] [key] }
    }
}
difftest::gen sort 1 {
    set c [list SORT [key]]
    if {[chance 50]} { lappend c ALPHA }
    if {[chance 30]} { lappend c LIMIT [pick {0 1}] [pick {1 2 -1}] }
    if {[chance 30]} { lappend c DESC }
    if {[chance 40]} { lappend c STORE [key] }
    return $c
}

# Keyspace notifications.  The main stream changes the event classes now
# and then; a listener connection (PSUBSCRIBE __key*__:*) receives every
# event of every connection and its stream is compared after each batch and
# each scenario step, so each command's events (names, order, db number) are
# checked against Redis's.
proc difftest::notify_flags {} {
    if {[chance 5]} { return [pick {Q "KE " "K,E" w}] }
    set letters {}
    if {[chance 75]} { lappend letters K }
    if {[chance 75]} { lappend letters E }
    if {[chance 25]} {
        lappend letters A
        # A leaves out key misses and new keys; they can be added.
        if {[chance 30]} { lappend letters [pick {m n}] }
    } else {
        foreach l {g $ l s h z x e t d m n} { if {[chance 25]} { lappend letters $l } }
    }
    # Shuffled: a server keeps classes, not the string, and CONFIG GET
    # prints them in its own canonical order.
    set out ""
    while {[llength $letters]} {
        set i [rand [llength $letters]]
        append out [lindex $letters $i]
        set letters [lreplace $letters $i $i]
    }
    return $out
}
difftest::gen notifycfg 1 {
    if {[chance 85]} {
        list CONFIG SET notify-keyspace-events [notify_flags]
    } else {
        list CONFIG GET notify-keyspace-events
    }
}

# --- scenarios: several connections, run step by step ------------------
#
# A batch pipelines commands on the main connection only.  A scenario is a
# list of steps, each {conn commands ?flags?}, run one step at a time so that
# the interleaving between connections is fixed: connection "main" (RESP2,
# never subscribed), "aux" (a second plain client, for WATCH), "s1" "s2"
# "s3" (subscribers; s3 starts in RESP3) and "ks" (the keyspace listener).
# After each step every listening connection is synchronised (sync_send,
# drain_listeners) and whatever it received is compared; the flag "nodrain"
# defers that to a later step.  Pseudo-commands on main/aux: {@sleep ms}, and
# {@dumprestore src dst} (DUMP src, then RESTORE dst 0 <payload> REPLACE
# with the payload that server produced; payloads are not compared).
proc difftest::scenario {name weight body} {
    variable scenarios
    proc ::difftest::s_$name {} $body
    lappend scenarios $name $weight
}

proc difftest::channel {} {
    pick {ch1 ch2 k1 k2 news.a news.b __keyspace@0__:k1 __keyevent@0__:set {}}
}
proc difftest::chpattern {} {
    pick {ch* k? * news.* __key*@0__:* h[ae]llo ch[12] {\*} k[^1] __keyevent@*__:del {}}
}
proc difftest::message {} {
    pick [list hi "" 1 "hello world" [binary format c* {0 13 10 255}] [string repeat m 100]]
}
# Between min and max values from the generator gen.
proc difftest::several {gen min max} {
    set out {}
    set n [expr {$min + [rand [expr {$max - $min + 1}]]}]
    for {set i 0} {$i < $n} {incr i} { lappend out [$gen] }
    return $out
}
# Any main-stream command (weighted like the batches).
proc difftest::anycmd {} { variable table; g_[pick $table] }
# The same for a subscriber, less ZPOPMIN/ZPOPMAX/ZMPOP: when a RESP3
# client receives its own keyspace events, Redis 7.0 writes the "zpopmin"
# push between the array header of the reply and its elements (the reply is
# corrupt), which ringkv does not imitate.
proc difftest::sub_anycmd {} {
    variable table
    while {1} {
        set g [pick $table]
        if {$g ni {zpop zmpop}} { return [g_$g] }
    }
}

# What a subscriber connection sends.  In RESP2 subscribed mode most of it is
# refused (the error text is compared); in RESP3 it runs, and its replies
# interleave with push messages.  No PUBSUB HELP: help texts are our own.
proc difftest::sub_cmd {} {
    switch [rand 26] {
        0 - 1 - 2 { list SUBSCRIBE {*}[several channel 1 3] }
        3 - 4 { list PSUBSCRIBE {*}[several chpattern 1 2] }
        5 - 6 { list SSUBSCRIBE {*}[several channel 1 2] }
        7 - 8 { list UNSUBSCRIBE {*}[several channel 0 2] }
        9 { list PUNSUBSCRIBE {*}[several chpattern 0 2] }
        10 { list SUNSUBSCRIBE {*}[several channel 0 2] }
        11 - 12 { if {[chance 50]} { list PING } else { list PING [message] } }
        13 - 14 { list [pick {PUBLISH SPUBLISH}] [channel] [message] }
        15 {
            switch [rand 5] {
                0 { list PUBSUB NUMPAT }
                1 { list PUBSUB [pick {NUMSUB SHARDNUMSUB}] {*}[several channel 0 3] }
                2 { list PUBSUB [pick {CHANNELS SHARDCHANNELS}] {*}[several chpattern 0 1] }
                3 { list PUBSUB NOSUCH }
                4 { list PUBSUB }
            }
        }
        16 { if {[chance 70]} { list HELLO [pick {3 2 3 4 x}] } else { list HELLO } }
        17 { if {[chance 25]} { list RESET } else { list PING } }
        18 { list [pick {SUBSCRIBE PSUBSCRIBE SSUBSCRIBE}] }
        19 { list [pick {FOOBAR ECHO SELECT}] [pick {0 1 x}] }
        default { sub_anycmd }
    }
}
# What the main connection does between subscriber steps.
proc difftest::pub_cmd {} {
    switch [rand 10] {
        0 - 1 - 2 - 3 { list PUBLISH [channel] [message] }
        4 - 5 { list SPUBLISH [channel] [message] }
        6 { list PUBSUB [pick {CHANNELS SHARDCHANNELS}] {*}[several chpattern 0 1] }
        7 { list PUBSUB [pick {NUMSUB SHARDNUMSUB}] {*}[several channel 0 3] }
        8 { list PUBSUB NUMPAT }
        9 { anycmd }
    }
}
difftest::scenario pubsub 16 {
    set steps {}
    for {set i [rand 5]} {$i >= 0} {incr i -1} {
        if {[chance 60]} {
            lappend steps [list [pick {s1 s2 s3}] [several sub_cmd 1 2]]
        } else {
            lappend steps [list main [list [pub_cmd]]]
        }
    }
    return $steps
}

# Transactions.  Queued commands are drawn from the whole main stream (so
# arity errors and unknown commands abort with EXECABORT, runtime errors do
# not roll back) plus what is special inside MULTI: blocking commands (they
# must not block), nested MULTI, WATCH.
proc difftest::blocking_cmd {} {
    set t [pick {0 1 0.5 -1 x 0.01}]
    switch [rand 8] {
        0 { list BLPOP [key] [key] $t }
        1 { list BRPOP [key] $t }
        2 { list BLMOVE [key] [key] [pick {LEFT RIGHT}] [pick {LEFT RIGHT}] $t }
        3 { list BRPOPLPUSH [key] [key] $t }
        4 { list [pick {BZPOPMIN BZPOPMAX}] [key] $t }
        5 { set c [list BLMPOP $t 2 [key] [key] [pick {LEFT RIGHT}]]; if {[chance 40]} { lappend c COUNT [pick {1 2 0}] }; set c }
        6 { list BZMPOP $t 1 [key] [pick {MIN MAX}] }
        7 { list BLPOP [key] }
    }
}
proc difftest::queued_cmd {} {
    switch [rand 20] {
        0 - 1 { blocking_cmd }
        2 { list MULTI }
        3 { list WATCH [key] }
        4 { list [pick {PUBLISH SPUBLISH}] [channel] [message] }
        5 { list UNWATCH }
        default { multi_anycmd }
    }
}
# Any main-stream command but OBJECT REFCOUNT: until EXEC returns, Redis's
# queued commands keep their arguments, so a string that SET stored earlier
# in the same transaction shows 2 there (1 once EXEC is over).  An artefact
# of its memory management that ringkv does not imitate.
proc difftest::multi_anycmd {} {
    while {1} {
        set c [anycmd]
        if {[string toupper [lindex $c 0]] ne "OBJECT" ||
            [string toupper [lindex $c 1]] ne "REFCOUNT"} { return $c }
    }
}
# MULTI ... EXEC|DISCARD; now and then EXEC or DISCARD alone, or a stray EXEC.
proc difftest::multi_block {} {
    if {[chance 5]} { return [list [list [pick {EXEC DISCARD UNWATCH}]]] }
    set cmds [list MULTI]
    for {set i [rand 7]} {$i > 0} {incr i -1} { lappend cmds [queued_cmd] }
    lappend cmds [pick {EXEC EXEC EXEC EXEC DISCARD}]
    if {[chance 3]} { lappend cmds EXEC }
    return $cmds
}
difftest::scenario multi 8 { list [list main [multi_block]] }

# WATCH, then another client (or the watcher itself) touches the watched
# keys or not, then a transaction.  The modifications are the deterministic
# ones: writes, deletions, expiry set in the past, FLUSHALL/FLUSHDB, SWAPDB,
# RESTORE, MOVE/COPY/RENAME onto the key.
proc difftest::aux_cmd {wkeys} {
    set k [expr {[chance 60] ? [pick $wkeys] : [key]}]
    switch [rand 18] {
        0 { list SET $k [val] }
        1 { list DEL $k }
        2 { list [pick {EXPIRE PEXPIRE}] $k [pick {-1 0 10000000}] }
        3 { list PERSIST $k }
        4 { list @dumprestore [key] $k }
        5 { list SWAPDB [pick {0 1}] [pick {0 1 2}] }
        6 { if {[chance 25]} { list [pick {FLUSHALL FLUSHDB}] } else { list GET $k } }
        7 { list SELECT [pick {0 0 1}] }
        8 { list RENAME [key] $k }
        9 { list MOVE $k [pick {0 1}] }
        10 { list COPY [key] $k REPLACE }
        11 { list LPUSH $k a }
        12 { list GET $k }
        13 { list [pick {TOUCH EXISTS TYPE}] $k }
        14 { list RESTORE $k 0 bogus }
        15 { list [pick {HSET SADD}] $k a 1 }
        default { anycmd }
    }
}
difftest::scenario watch 8 {
    set wkeys [several key 1 3]
    set steps [list [list main [list [list WATCH {*}$wkeys]]]]
    if {[chance 20]} { lappend steps [list main [list [anycmd]]] }
    if {[chance 80]} { lappend steps [list aux [several_aux $wkeys]] }
    lappend steps [list main [multi_block]]
    return $steps
}
proc difftest::several_aux {wkeys} {
    set out {}
    for {set i [rand 3]} {$i >= 0} {incr i -1} { lappend out [aux_cmd $wkeys] }
    return $out
}
# A watched key expiring between WATCH and EXEC.  The only timing-dependent
# scenario, made deterministic: the key gets a 25 ms TTL (long enough that
# it cannot already be past when the command checks it, which would turn
# the "expire" into a "del"), the run sleeps past it, the transaction must
# fail whether or not the active expire cycle has already reclaimed the key,
# and a final EXISTS forces the lazy path if it has not.  Listeners are
# compared only after that, so the moment at which the "expired" event was
# sent does not matter.
difftest::scenario watchexpire 1 {
    set k [key]
    set setter [pick [list [list PEXPIRE $k 25] [list SET $k [val] PX 25] [list SET $k [val] PX 25 NX]]]
    list \
        [list main [list {SELECT 0} [list WATCH $k]] nodrain] \
        [list aux [list {SELECT 0} $setter {@sleep 30}] nodrain] \
        [list main [list MULTI [list GET $k] [list INCR [key]] EXEC] nodrain] \
        [list aux [list [list EXISTS $k]]]
}

# SCAN and the per-type scans.  Cursors and page boundaries depend on each
# server's hash tables, so a scan is compared as a whole: the pseudo-command
# {@scanall CMD ... @cursor ...} loops until the cursor is 0 and yields the
# sorted set of everything returned (or the error).  A collection is first
# made big enough, now and then, for the hashtable and skiplist encodings.
difftest::scenario scan 3 {
    set k [key]
    set steps {}
    if {[chance 50]} {
        set n [expr {1 + [rand 300]}]
        switch [rand 3] {
            0 { set c [list HSET $k]; for {set i 0} {$i < $n} {incr i} { lappend c f$i $i } }
            1 {
                set c [list SADD $k]
                set ints [chance 50]
                for {set i 0} {$i < $n} {incr i} { lappend c [expr {$ints ? $i : "m$i"}] }
            }
            2 { set c [list ZADD $k]; for {set i 0} {$i < $n} {incr i} { lappend c [rand 50] m$i } }
        }
        lappend steps [list main [list [list DEL $k] $c]]
    }
    set type [pick {SCAN SSCAN HSCAN ZSCAN}]
    set opts {}
    if {[chance 50]} { lappend opts MATCH [pick {* *1* f?? m1* k? {} x f1\[0-5\]*}] }
    if {[chance 50]} { lappend opts COUNT [pick {1 2 10 100 1000 0 -1 x}] }
    if {$type eq "SCAN" && [chance 30]} { lappend opts TYPE [pick {string hash set zset list none}] }
    if {[chance 5]} { lappend opts [pick {COUNT MATCH BOGUS}] }
    set cur [expr {[chance 5] ? "@cursor=[pick {x 1.5 {} { 0} 18446744073709551616}]" : "@cursor"}]
    if {$type eq "SCAN"} {
        set cmd [list SCAN $cur {*}$opts]
    } else {
        set cmd [list $type $k $cur {*}$opts]
    }
    lappend steps [list main [list [list @scanall {*}$cmd]]]
    return $steps
}

# Normalisation per command name (upper case).
proc difftest::normalise {cmd reply} {
    set name [string toupper [lindex $cmd 0]]
    set t [lindex $reply 0]
    switch -- $name {
        KEYS - SMEMBERS - SINTER - SUNION - SDIFF - HKEYS - HVALS {
            # Unordered in Redis (hashtable encodings iterate in hash order).
            if {$t eq "*" || $t eq "~"} { return [list $t [lsort [lindex $reply 1]]] }
        }
        PUBSUB {
            if {[string toupper [lindex $cmd 1]] in {CHANNELS SHARDCHANNELS} && $t eq "*"} {
                return [list * [lsort [lindex $reply 1]]]
            }
        }
        HGETALL {
            if {$t eq "*"} {
                set pairs {}
                foreach {f v} [lindex $reply 1] { lappend pairs [list $f $v] }
                return [list * [lsort $pairs]]
            }
        }
        TTL - PTTL - EXPIRETIME - PEXPIRETIME {
            if {$t eq ":" && [lindex $reply 1] > 0} { return {: positive} }
        }
        HELLO {
            # The connection id differs; everything else must not.
            if {$t eq "*" || $t eq "%"} {
                set items {}
                set blank 0
                foreach item [lindex $reply 1] {
                    if {$blank} { set item {: id} }
                    set blank [expr {$item eq [list {$} id]}]
                    lappend items $item
                }
                return [list $t $items]
            }
        }
    }
    # RESP3 maps and sets: hash order.
    if {$t eq "%"} {
        set pairs {}
        foreach {f v} [lindex $reply 1] { lappend pairs [list $f $v] }
        return [list % [lsort $pairs]]
    }
    if {$t eq "~"} { return [list ~ [lsort [lindex $reply 1]]] }
    return $reply
}

# Replies of a plain connection, with the per-command normalisation applied
# inside EXEC too (each element against the command queued for it).
proc difftest::normalise_seq {cmds replies} {
    set out {}
    set inmulti 0
    set queued {}
    foreach c $cmds r $replies {
        set name [string toupper [lindex $c 0]]
        if {$inmulti} {
            if {$name eq "EXEC"} {
                set inmulti 0
                if {[lindex $r 0] eq "*" && [llength [lindex $r 1]] == [llength $queued]} {
                    set items {}
                    foreach q $queued x [lindex $r 1] { lappend items [normalise $q $x] }
                    set r [list * $items]
                }
            } elseif {$name eq "DISCARD"} {
                set inmulti 0
            } elseif {$r eq {+ QUEUED}} {
                lappend queued $c
            }
        } elseif {$name eq "MULTI" && $r eq {+ OK}} {
            set inmulti 1
            set queued {}
        } else {
            set r [normalise $c $r]
        }
        lappend out $r
    }
    return $out
}

# Pushes (RESP3 '>') and RESP2 subscribed-mode arrays whose first element
# names the kind.  No value in the pools equals one of these words, so a
# data reply is never taken for one.
proc difftest::is_async {r} {
    set t [lindex $r 0]
    if {$t eq ">"} { return 1 }
    if {$t ne "*"} { return 0 }
    set first [lindex $r 1 0]
    return [expr {[lindex $first 0] eq "\$" && [lindex $first 1] in
                  {message pmessage smessage subscribe psubscribe ssubscribe unsubscribe punsubscribe sunsubscribe}}]
}
# What a subscriber connection read during one step: the replies to its own
# commands (one each, except the (P|S)(UN)SUBSCRIBE family, whose
# confirmations are asynchronous-looking) interleaved with messages.
proc difftest::normalise_mixed {cmds items} {
    set sync {}
    foreach c $cmds {
        set name [string toupper [lindex $c 0]]
        if {$name in {UNSUBSCRIBE PUNSUBSCRIBE SUNSUBSCRIBE} ||
            ($name in {SUBSCRIBE PSUBSCRIBE SSUBSCRIBE} && [llength $c] > 1)} continue
        lappend sync $c
    }
    set out {}
    set i 0
    foreach r $items {
        if {![is_async $r]} {
            if {$i < [llength $sync]} { set r [normalise [lindex $sync $i] $r] }
            incr i
        }
        lappend out $r
    }
    return [normalise_async $out]
}
# Two orders Redis leaves to its hash tables: one PUBLISH reaching a client
# through several patterns (pmessages with the same channel and payload), and
# UNSUBSCRIBE/PUNSUBSCRIBE/SUNSUBSCRIBE without arguments (the names, not the
# counts, are sorted within a run of confirmations).
proc difftest::normalise_async {items} {
    set out {}
    set run {}
    set runkey ""
    foreach r [concat $items [list {}]] {
        set key ""
        if {$r ne {} && [is_async $r]} {
            set kind [lindex $r 1 0 1]
            if {$kind eq "pmessage"} {
                set key [list [lindex $r 0] p [lindex $r 1 2] [lindex $r 1 3]]
            } elseif {$kind in {unsubscribe punsubscribe sunsubscribe}} {
                set key [list [lindex $r 0] $kind]
            }
        }
        if {$key ne "" && $key eq $runkey} { lappend run $r; continue }
        if {[llength $run] > 1} {
            if {[lindex $runkey 1] eq "p"} {
                set run [lsort $run]
            } else {
                set names {}
                foreach x $run { lappend names [lindex $x 1 1] }
                set names [lsort $names]
                set sorted {}
                foreach x $run n $names { lappend sorted [list [lindex $x 0] [lreplace [lindex $x 1] 1 1 $n]] }
                set run $sorted
            }
        }
        lappend out {*}$run
        if {$r eq {}} break
        set run [list $r]
        set runkey $key
    }
    return $out
}

# --- raw RESP reader -----------------------------------------------------
proc difftest::readline {fd} {
    set line [gets $fd]
    if {[eof $fd]} { error "connection closed" }
    return [string trimright $line "\r"]
}
# Returns {type value}: arrays, sets and pushes as {* items} {~ items} {> items}
# (types kept apart: a message must arrive as a push in RESP3), maps as
# {% k1 v1 ...}.
proc difftest::readreply {fd} {
    set line [readline $fd]
    set t [string index $line 0]
    set rest [string range $line 1 end]
    switch -- $t {
        + - - - : - , - # - _ - ( { return [list $t $rest] }
        $ - = - ! {
            if {$rest < 0} { return [list $t nil] }
            set data [read $fd [expr {$rest + 2}]]
            return [list $t [string range $data 0 end-2]]
        }
        * - ~ - > {
            if {$rest < 0} { return [list $t nil] }
            set items {}
            for {set i 0} {$i < $rest} {incr i} { lappend items [readreply $fd] }
            return [list $t $items]
        }
        % {
            set items {}
            for {set i 0} {$i < 2 * $rest} {incr i} { lappend items [readreply $fd] }
            return [list % $items]
        }
        default { error "protocol: unexpected line '$line'" }
    }
}
proc difftest::encode {cmd} {
    set out "*[llength $cmd]\r\n"
    foreach a $cmd { append out "\$[string length $a]\r\n$a\r\n" }
    return $out
}
proc difftest::connect {host port} {
    set fd [socket $host $port]
    fconfigure $fd -translation binary -buffering full -encoding binary
    return $fd
}

# --- sessions: the connections to one server -----------------------------
namespace eval difftest {
    variable fds             ;# fds(server,conn)
    array set fds {}
    variable syncseq 0
    variable listeners {s1 s2 s3 ks}
}

# Synchronising with a connection whose traffic is not one reply per
# command: PING with a unique token, then everything read before the echo of
# the token is what the connection received.  The echo is a bulk string,
# or {pong token} in RESP2 subscribed mode.
proc difftest::sync_send {fd} {
    variable syncseq
    set tok "difftest-sync-[incr syncseq]"
    puts -nonewline $fd [encode [list PING $tok]]
    return $tok
}
proc difftest::sync_read {fd tok} {
    set out {}
    set bulk [list {$} $tok]
    set pong [list * [list [list {$} pong] $bulk]]
    while {1} {
        set r [readreply $fd]
        if {$r eq $bulk || $r eq $pong} { return $out }
        lappend out $r
    }
}
# What each listening connection received since it was last drained.
proc difftest::drain_listeners {srv} {
    variable fds
    variable listeners
    set toks {}
    foreach c $listeners {
        lappend toks [sync_send $fds($srv,$c)]
        flush $fds($srv,$c)
    }
    set out {}
    foreach c $listeners tok $toks {
        lappend out [list $c [normalise_async [sync_read $fds($srv,$c) $tok]]]
    }
    return $out
}
proc difftest::open_session {srv host port} {
    variable fds
    foreach c {main aux s1 s2 s3 ks} { set fds($srv,$c) [connect $host $port] }
    set f $fds($srv,main)
    puts -nonewline $f [encode {FLUSHALL}][encode {CONFIG SET notify-keyspace-events ""}]
    flush $f
    readreply $f
    readreply $f
    set f $fds($srv,s3)
    puts -nonewline $f [encode {HELLO 3}]
    flush $f
    readreply $f
    set f $fds($srv,ks)
    puts -nonewline $f [encode {PSUBSCRIBE __key*__:*}]
    flush $f
    readreply $f
}
# Subscriptions are dropped synchronously (RESET) before closing, so that a
# later run on the same server does not count them in PUBSUB NUMSUB/NUMPAT.
proc difftest::close_session {srv} {
    variable fds
    variable listeners
    foreach c $listeners {
        set f $fds($srv,$c)
        puts -nonewline $f [encode {RESET}]
        set tok [sync_send $f]
        flush $f
        sync_read $f $tok
    }
    set f $fds($srv,main)
    puts -nonewline $f [encode {CONFIG SET notify-keyspace-events ""}]
    flush $f
    readreply $f
    foreach c {main aux s1 s2 s3 ks} { close $fds($srv,$c); unset fds($srv,$c) }
}

# Runs a whole cursor scan (see the "scan" scenario): words has a @cursor
# token (the cursor starts at 0) or @cursor=C (C is sent first, as given).
proc difftest::scan_all {fd words} {
    set at [lsearch -glob $words @cursor*]
    set cursor [string range [lindex $words $at] 8 end]
    set cursor [expr {$cursor eq "" ? 0 : [string range $cursor 1 end]}]
    set pairs [expr {[string toupper [lindex $words 0]] in {HSCAN ZSCAN}}]
    set found {}
    for {set round 0} {$round < 100000} {incr round} {
        puts -nonewline $fd [encode [lreplace $words $at $at $cursor]]
        flush $fd
        set r [readreply $fd]
        if {[lindex $r 0] ne "*"} { return [list @ scan $r] }
        lassign [lindex $r 1] head items
        set cursor [lindex $head 1]
        foreach {a b} [lindex $items 1] {
            if {$pairs} {
                lappend found [list [lindex $a 1] [lindex $b 1]]
            } else {
                lappend found [lindex $a 1]
                if {$b ne ""} { lappend found [lindex $b 1] }
            }
        }
        if {$cursor eq "0"} { return [list @ scanned [lsort -unique $found]] }
    }
    return [list @ scan "no end"]
}

# Runs commands on a plain connection (one reply per command), pipelined up
# to each pseudo-command.  Returns the replies, one per command.
proc difftest::exec_plain {fd cmds} {
    set replies {}
    set pending 0
    foreach c [concat $cmds [list @end]] {
        set op [lindex $c 0]
        if {[string index $op 0] eq "@"} {
            flush $fd
            for {} {$pending > 0} {incr pending -1} { lappend replies [readreply $fd] }
        }
        switch -- $op {
            @end { break }
            @sleep { after [lindex $c 1]; lappend replies {@ slept} }
            @scanall { lappend replies [scan_all $fd [lrange $c 1 end]] }
            @dumprestore {
                puts -nonewline $fd [encode [list DUMP [lindex $c 1]]]
                flush $fd
                set d [readreply $fd]
                if {[lindex $d 0] eq "\$" && [lindex $d 1] ne "nil"} {
                    puts -nonewline $fd [encode [list RESTORE [lindex $c 2] 0 [lindex $d 1] REPLACE]]
                    flush $fd
                    lappend replies [list @ dumped [readreply $fd]]
                } else {
                    lappend replies [list @ $d]
                }
            }
            default {
                puts -nonewline $fd [encode $c]
                incr pending
            }
        }
    }
    return $replies
}
# Runs a scenario on one server; returns one record {conn items} per
# connection transcript, in a fixed order.
proc difftest::exec_steps {srv steps} {
    variable fds
    set out {}
    foreach step $steps {
        lassign $step conn cmds flags
        set fd $fds($srv,$conn)
        if {$conn in {main aux}} {
            lappend out [list $conn [normalise_seq $cmds [exec_plain $fd $cmds]]]
        } else {
            foreach c $cmds { puts -nonewline $fd [encode $c] }
            set tok [sync_send $fd]
            flush $fd
            lappend out [list $conn [normalise_mixed $cmds [sync_read $fd $tok]]]
        }
        if {"nodrain" ni $flags} { lappend out {*}[drain_listeners $srv] }
    }
    return $out
}
proc difftest::count_cmds {steps} {
    set n 0
    foreach step $steps {
        foreach c [lindex $step 1] { if {[string index [lindex $c 0] 0] ne "@"} { incr n } }
    }
    return $n
}
proc difftest::shorten {x} {
    if {[string length $x] > 2000} { return "[string range $x 0 2000]..." }
    return $x
}

# Prints two differing transcripts from a little before their first
# difference.
proc difftest::report_transcripts {ia ib} {
    set i 0
    while {$i < [llength $ia] && [lindex $ia $i] eq [lindex $ib $i]} { incr i }
    set from [expr {max(0, $i - 2)}]
    if {$from > 0} { puts "   ($from equal items before)" }
    foreach side {A B} items [list $ia $ib] {
        puts "   $side: [shorten [lrange $items $from [expr {$i + 3}]]]"
        if {[llength $items] > $i + 4} { puts "      ... ([llength $items] items)" }
    }
}

# Runs the comparison.  Options: -seed N -count N -batch N -maxreport N
# -verbose 0|1 -scenarios PERCENT (the chance that the next unit is a
# scenario rather than a batch of up to -batch main-stream commands).
# Returns the number of differences (a differing reply, or a differing
# transcript of one connection).  Counters of the last run are in
# difftest::stats: commands, scenario_cmds, scenarios, messages.
proc difftest::run {hostA portA hostB portB args} {
    variable generators
    variable scenarios
    variable table
    variable stats
    array set o {-seed 1 -count 10000 -batch 100 -maxreport 20 -verbose 0 -scenarios 75 -trace ""}
    array set o $args
    # -trace FILE: every unit, numbered, for replaying a difference by hand.
    set trace [expr {$o(-trace) ne "" ? [open $o(-trace) w] : ""}]
    srand $o(-seed)
    array set stats {commands 0 scenario_cmds 0 scenarios 0 messages 0}
    open_session A $hostA $portA
    open_session B $hostB $portB
    # Weighted choice tables.
    set table {}
    foreach {name weight} $generators { for {set i 0} {$i < $weight} {incr i} { lappend table $name } }
    set stable {}
    foreach {name weight} $scenarios { for {set i 0} {$i < $weight} {incr i} { lappend stable $name } }
    set fa $::difftest::fds(A,main)
    set fb $::difftest::fds(B,main)
    set diffs 0
    set sent 0
    set nextreport 100000
    while {$sent < $o(-count)} {
        if {[chance $o(-scenarios)]} {
            set sname [pick $stable]
            set steps [s_$sname]
            if {$trace ne ""} { puts $trace "[expr {$sent + 1}] scenario $sname: $steps" }
            set ta [exec_steps A $steps]
            set tb [exec_steps B $steps]
            set n [count_cmds $steps]
            incr stats(scenarios)
            incr stats(scenario_cmds) $n
            set records [list $ta $tb]
            set where "scenario $sname at command [expr {$sent + 1}]"
        } else {
            set batch {}
            set n [expr {1 + [rand [expr {min($o(-batch), $o(-count) - $sent)}]]}]
            for {set i 0} {$i < $n} {incr i} { lappend batch [g_[pick $table]] }
            if {$trace ne ""} {
                set i $sent
                foreach c $batch { puts $trace "[incr i] $c" }
            }
            set payload ""
            foreach c $batch { append payload [encode $c] }
            puts -nonewline $fa $payload; flush $fa
            puts -nonewline $fb $payload; flush $fb
            set i 0
            foreach c $batch {
                incr i
                set ra [normalise $c [readreply $fa]]
                set rb [normalise $c [readreply $fb]]
                if {$ra ne $rb} {
                    incr diffs
                    if {$diffs <= $o(-maxreport)} {
                        puts "DIFF #$diffs (seed $o(-seed), command [expr {$sent + $i}]): $c"
                        puts "   A: [shorten $ra]"
                        puts "   B: [shorten $rb]"
                    }
                }
            }
            set steps [expr {$n <= 3 ? [list [list main $batch]] : {}}]
            set records [list [drain_listeners A] [drain_listeners B]]
            set where "listeners after the batch ending at command [expr {$sent + $n}]"
        }
        lassign $records ta tb
        foreach a $ta b $tb {
            if {[lindex $a 0] ne "main"} { incr stats(messages) [llength [lindex $a 1]] }
            if {$a ne $b} {
                incr diffs
                if {$diffs <= $o(-maxreport)} {
                    puts "DIFF #$diffs (seed $o(-seed), $where), connection [lindex $a 0]"
                    foreach step $steps { puts "   step: [shorten $step]" }
                    report_transcripts [lindex $a 1] [lindex $b 1]
                }
            }
        }
        incr sent $n
        if {$o(-verbose) && $sent >= $nextreport} {
            puts "difftest: $sent commands ($stats(scenario_cmds) in $stats(scenarios) scenarios, $stats(messages) messages), $diffs differences"
            flush stdout
            incr nextreport 100000
        }
    }
    set stats(commands) $sent
    if {$trace ne ""} { close $trace }
    close_session A
    close_session B
    return $diffs
}
