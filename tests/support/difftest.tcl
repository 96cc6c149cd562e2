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
# Replies are read raw (our own minimal RESP reader, independent of the test
# client) and compared after a per-command normalisation: replies whose order
# Redis leaves unspecified are sorted, and values that depend on the clock
# (relative TTLs) are reduced to their sign.
#
# Usage (from Tcl):
#   source tests/support/difftest.tcl
#   set diffs [difftest::run $hostA $portA $hostB $portB -seed 1 -count 100000]
# Each difference is printed with the command that caused it and the replies.

namespace eval difftest {
    variable generators {}
    variable normalisers
    array set normalisers {}
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
# command, so every positive one is at least 100 s even as milliseconds: a
# key that expires during the run would make replies depend on timing.
proc difftest::ttl {} { pick {100000 1000000 10000000 0 -1 -100 x "" 1.5 9223372036854775807 100000000000000 9223372036854775} }

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
# REFCOUNT is left out: Redis shares small integers except in values made
# by COPY, a distinction ringkv does not track (see the closing notes).
difftest::gen object 2 { list OBJECT [pick {ENCODING ENCODING encoding FOO}] [key] }
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
# HRANDFIELD, ZRANDMEMBER) and cursors (SSCAN/HSCAN/ZSCAN) are left out.
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

# Normalisation per command name (upper case).
proc difftest::normalise {cmd reply} {
    set name [string toupper [lindex $cmd 0]]
    switch -- $name {
        KEYS - SMEMBERS - SINTER - SUNION - SDIFF - HKEYS - HVALS {
            # Unordered in Redis (hashtable encodings iterate in hash order).
            if {[lindex $reply 0] eq "*"} { return [list * [lsort [lindex $reply 1]]] }
        }
        HGETALL {
            if {[lindex $reply 0] eq "*"} {
                set pairs {}
                foreach {f v} [lindex $reply 1] { lappend pairs [list $f $v] }
                return [list * [lsort $pairs]]
            }
        }
        TTL - PTTL - EXPIRETIME - PEXPIRETIME {
            if {[lindex $reply 0] eq ":" && [lindex $reply 1] > 0} { return {: positive} }
        }
    }
    return $reply
}

# --- raw RESP reader -----------------------------------------------------
proc difftest::readline {fd} {
    set line [gets $fd]
    if {[eof $fd]} { error "connection closed" }
    return [string trimright $line "\r"]
}
proc difftest::readreply {fd} {
    set line [readline $fd]
    set t [string index $line 0]
    set rest [string range $line 1 end]
    switch -- $t {
        + - - - : - , - # - _ - ( { return [list $t $rest] }
        $ - = {
            if {$rest < 0} { return [list $t nil] }
            set data [read $fd [expr {$rest + 2}]]
            return [list $t [string range $data 0 end-2]]
        }
        * - ~ - > {
            if {$rest < 0} { return [list $t nil] }
            set items {}
            for {set i 0} {$i < $rest} {incr i} { lappend items [readreply $fd] }
            return [list * $items]
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

# Runs the comparison.  Options: -seed N -count N -batch N -maxreport N -verbose 0|1
# Returns the number of differing replies.
proc difftest::run {hostA portA hostB portB args} {
    variable generators
    array set o {-seed 1 -count 10000 -batch 100 -maxreport 20 -verbose 0}
    array set o $args
    srand $o(-seed)
    set fa [connect $hostA $portA]
    set fb [connect $hostB $portB]
    foreach fd [list $fa $fb] {
        puts -nonewline $fd [encode {FLUSHALL}]
        flush $fd
        readreply $fd
    }
    # Weighted choice table.
    set table {}
    foreach {name weight} $generators { for {set i 0} {$i < $weight} {incr i} { lappend table $name } }
    set diffs 0
    set sent 0
    while {$sent < $o(-count)} {
        set batch {}
        set n [expr {min($o(-batch), $o(-count) - $sent)}]
        for {set i 0} {$i < $n} {incr i} { lappend batch [g_[pick $table]] }
        set payload ""
        foreach c $batch { append payload [encode $c] }
        puts -nonewline $fa $payload; flush $fa
        puts -nonewline $fb $payload; flush $fb
        foreach c $batch {
            set ra [normalise $c [readreply $fa]]
            set rb [normalise $c [readreply $fb]]
            if {$ra ne $rb} {
                incr diffs
                if {$diffs <= $o(-maxreport)} {
                    puts "DIFF #$diffs (seed $o(-seed), command [expr {$sent + [lsearch -exact $batch $c] + 1}]): $c"
                    puts "   A: $ra"
                    puts "   B: $rb"
                }
            }
        }
        incr sent $n
        if {$o(-verbose) && $sent % 100000 == 0} { puts "difftest: $sent commands, $diffs differences" }
    }
    close $fa
    close $fb
    return $diffs
}
