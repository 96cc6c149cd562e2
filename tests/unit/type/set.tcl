# set.tcl: the set commands and the two set encodings.
#
# Covers SADD SREM SISMEMBER SMISMEMBER SCARD SMEMBERS SRANDMEMBER SPOP SMOVE
# SINTER SINTERCARD SINTERSTORE SUNION SUNIONSTORE SDIFF SDIFFSTORE SSCAN:
# replies (raw protocol where RESP2/RESP3 types or null and empty must be
# told apart), error texts and the order in which arguments are checked,
# WRONGTYPE for every key position, the encoding each command leaves behind
# (intset while every member is a canonical 64-bit integer and there are at
# most set-max-intset-entries of them, hashtable otherwise, never back),
# randomness of SRANDMEMBER/SPOP, SSCAN's guarantees, COPY, DEBUG DIGEST and
# keyspace events.
#
# Most tests run once per encoding: "intset" keeps the default threshold and
# uses integer members; "hashtable" sets set-max-intset-entries to 0 first,
# so the very same integer members live in a hashtable.

# Sets set-max-intset-entries for the encoding a test wants its sets in.
proc set_use_encoding {enc} {
    if {$enc eq "intset"} {
        r config set set-max-intset-entries 512
    } else {
        r config set set-max-intset-entries 0
    }
}

proc create_set {key members} {
    r del $key
    foreach m $members { r sadd $key $m }
}

# Reads n keyevent notifications ("event key" pairs, arrival order).
proc set_read_events {c n} {
    set out {}
    for {set i 0} {$i < $n} {incr i} {
        lassign [$c read] kind pattern channel payload
        regsub {^__keyevent@[0-9]+__:} $channel {} event
        lappend out [list $event $payload]
    }
    return $out
}

# Sends one command in raw mode and returns its first n reply lines.
proc set_raw_lines {n args} {
    r readraw 1
    set lines [list [r {*}$args]]
    for {set i 1} {$i < $n} {incr i} { lappend lines [r read] }
    r readraw 0
    return $lines
}

# Pearson's chi-square statistic of a list of draws against a uniform
# distribution over the distinct values seen.
proc set_chi_square {draws} {
    array set count {}
    foreach d $draws { incr count($d) }
    set n [llength $draws]
    set k [array size count]
    set expected [expr {double($n) / $k}]
    set chi 0.0
    foreach {v c} [array get count] {
        set chi [expr {$chi + ($c - $expected) * ($c - $expected) / $expected}]
    }
    return $chi
}

proc set_tcl_inter {a b} {
    set out {}
    foreach x $a { if {$x in $b} { lappend out $x } }
    lsort -unique $out
}

proc set_tcl_diff {a b} {
    set out {}
    foreach x $a { if {!($x in $b)} { lappend out $x } }
    lsort -unique $out
}

start_server {tags {"set"}} {

# -------------------------------------------------------------- encodings

test {SADD of integers creates an intset, of anything else a hashtable} {
    r del a b
    assert_equal 3 [r sadd a 1 2 3]
    assert_encoding intset a
    assert_equal 2 [r sadd b x 1]
    assert_encoding hashtable b
    assert_equal set [r type a]
    assert_equal set [r type b]
}

test {Only canonical 64-bit integer text stays in an intset} {
    r del s
    r sadd s 9223372036854775807 -9223372036854775808 0 -1
    assert_encoding intset s
    assert_equal {-1 -9223372036854775808 0 9223372036854775807} [lsort [r smembers s]]
    foreach m {01 -0 +1 { 1} {1 } 1.0 1e3 9223372036854775808 -9223372036854775809 0x10 {}} {
        r del t
        r sadd t 5
        assert_equal 1 [r sadd t $m] "member '$m'"
        assert_encoding hashtable t
        assert_equal 1 [r sismember t $m]
        assert_equal 1 [r sismember t 5]
        assert_equal 0 [r sismember t 6]
    }
}

test {Intset converts when it outgrows set-max-intset-entries} {
    r config set set-max-intset-entries 16
    r del s
    for {set i 0} {$i < 16} {incr i} { r sadd s $i }
    assert_encoding intset s
    assert_equal 1 [r sadd s 16]
    assert_encoding hashtable s
    assert_equal 17 [r scard s]
    # Conversion is one way: shrinking back does not make it an intset.
    for {set i 0} {$i < 16} {incr i} { r srem s $i }
    assert_equal {16} [r smembers s]
    assert_encoding hashtable s
    # A single SADD that crosses the threshold converts too.
    r del t
    r sadd t {*}[lrange {0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17} 0 end]
    assert_encoding hashtable t
    assert_equal 18 [r scard t]
    r config set set-max-intset-entries 512
}

test {Adding an existing member never converts an intset} {
    r config set set-max-intset-entries 3
    r del s
    r sadd s 1 2 3
    assert_equal 0 [r sadd s 1 2 3]
    assert_encoding intset s
    r config set set-max-intset-entries 512
}

test {set-max-intset-entries 0 stores even one integer in a hashtable} {
    r config set set-max-intset-entries 0
    r del s
    r sadd s 7
    assert_encoding hashtable s
    assert_equal {7} [r smembers s]
    r config set set-max-intset-entries 512
}

test {CONFIG SET of the threshold applies to later conversions only} {
    r del s
    r sadd s 1 2 3 4 5
    r config set set-max-intset-entries 2
    assert_encoding intset s
    r sadd s 6
    assert_encoding hashtable s
    r config set set-max-intset-entries 512
    r del t
    r sadd t 1 2 3
    assert_encoding intset t
}

test {Intset with large values keeps all of them (width upgrades)} {
    r del s
    set vals {1 -2 300 -40000 70000 -5000000000 6000000000 9223372036854775807}
    r sadd s {*}$vals
    assert_encoding intset s
    assert_equal [lsort -integer $vals] [lsort -integer [r smembers s]]
    foreach v $vals { assert_equal 1 [r sismember s $v] }
    assert_equal 0 [r sismember s 2]
    r srem s 9223372036854775807 6000000000 -5000000000
    assert_equal [lsort -integer {1 -2 300 -40000 70000}] [lsort -integer [r smembers s]]
}

test {Members are binary safe} {
    r del s
    set bin "a\x00b\r\n\xff"
    assert_equal 2 [r sadd s $bin ""]
    assert_equal 1 [r sismember s $bin]
    assert_equal 1 [r sismember s ""]
    assert_equal 0 [r sismember s "a"]
    assert_equal [lsort [list $bin ""]] [lsort [r smembers s]]
    assert_equal 1 [r srem s $bin]
    assert_equal {{}} [r smembers s]
}

foreach enc {intset hashtable} {

# ------------------------------------------------------- SADD SREM SCARD ...

test "SADD, SCARD, SISMEMBER, SMEMBERS - $enc" {
    set_use_encoding $enc
    r del s
    assert_equal 2 [r sadd s 10 20]
    assert_equal 1 [r sadd s 20 30]
    assert_equal 0 [r sadd s 10 10 30]
    assert_encoding $enc s
    assert_equal 3 [r scard s]
    assert_equal 1 [r sismember s 20]
    assert_equal 0 [r sismember s 40]
    assert_equal 0 [r sismember s foo]
    assert_equal {10 20 30} [lsort [r smembers s]]
    assert_equal 2 [r sadd s -5 5]
    assert_equal {-5 10 20 30 5} [lsort [r smembers s]]
    set_use_encoding intset
}

test "SADD with duplicated arguments counts each new member once - $enc" {
    set_use_encoding $enc
    r del s
    assert_equal 2 [r sadd s 1 1 2 2 1]
    assert_equal 2 [r scard s]
    set_use_encoding intset
}

test "SREM - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3 4 5}
    assert_encoding $enc s
    assert_equal 0 [r srem s 6]
    assert_equal 0 [r srem s foo]
    assert_equal 1 [r srem s 3]
    assert_equal 2 [r srem s 1 5 7 1]
    assert_equal {2 4} [lsort [r smembers s]]
    assert_encoding $enc s
    # The key goes away with its last member.
    assert_equal 2 [r srem s 2 4 9]
    assert_equal 0 [r exists s]
    assert_equal 0 [r srem s 1]
    set_use_encoding intset
}

test "SMISMEMBER - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    assert_equal {1 0 1 0} [r smismember s 1 4 3 foo]
    assert_equal {0 0} [r smismember nosuchkey 1 2]
    assert_equal {1} [r smismember s 2]
    set_use_encoding intset
}

# ------------------------------------------------------------- SPOP

test "SPOP without count - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    set popped {}
    lappend popped [r spop s]
    assert_equal 2 [r scard s]
    lappend popped [r spop s] [r spop s]
    assert_equal {1 2 3} [lsort $popped]
    assert_equal 0 [r exists s]
    assert_equal {} [r spop s]
    set_use_encoding intset
}

test "SPOP with count 0 and with a count covering the whole set - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    assert_equal {} [r spop s 0]
    assert_equal 3 [r scard s]
    assert_equal {1 2 3} [lsort [r spop s 3]]
    assert_equal 0 [r exists s]
    create_set s {1 2 3}
    assert_equal {1 2 3} [lsort [r spop s 100]]
    assert_equal 0 [r exists s]
    assert_equal {} [r spop s 5]
    assert_equal {} [r spop s 0]
    set_use_encoding intset
}

test "SPOP with count returns distinct members and removes them - $enc" {
    set_use_encoding $enc
    set all {}
    for {set i 0} {$i < 100} {incr i} { lappend all $i }
    # Small counts (most members stay) and large ones (few stay) take
    # different paths: check both keep the union exact.
    foreach count {1 2 9 10 20 50 80 84 95 99} {
        create_set s $all
        set popped [r spop s $count]
        assert_equal $count [llength $popped] "count $count"
        assert_equal $count [llength [lsort -unique $popped]]
        set rest [r smembers s]
        assert_equal [expr {100 - $count}] [llength $rest]
        assert_equal [lsort -integer $all] [lsort -integer [concat $popped $rest]]
        assert_equal [expr {100 - $count}] [r scard s]
        foreach p $popped { assert_equal 0 [r sismember s $p] }
    }
    set_use_encoding intset
}

test "SPOP with count on string members - $enc" {
    set_use_encoding $enc
    set all {}
    for {set i 0} {$i < 60} {incr i} { lappend all "m$i" }
    foreach count {3 30 55} {
        create_set s $all
        set popped [r spop s $count]
        assert_equal $count [llength [lsort -unique $popped]]
        assert_equal [lsort $all] [lsort [concat $popped [r smembers s]]]
    }
    set_use_encoding intset
}

test "SPOP errors - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    assert_error {ERR syntax error} {r spop s 1 2}
    assert_error {ERR value is out of range, must be positive} {r spop s -1}
    assert_error {ERR value is out of range, must be positive} {r spop s a}
    assert_error {ERR value is out of range, must be positive} {r spop nosuchkey -1}
    assert_error {ERR wrong number of arguments for 'spop' command} {r spop}
    assert_equal 3 [r scard s]
    set_use_encoding intset
}

# ------------------------------------------------------------- SRANDMEMBER

test "SRANDMEMBER without count - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    for {set i 0} {$i < 20} {incr i} {
        assert {[r srandmember s] in {1 2 3}}
    }
    assert_equal 3 [r scard s]
    assert_equal {} [r srandmember nosuchkey]
    set_use_encoding intset
}

test "SRANDMEMBER with count - $enc" {
    set_use_encoding $enc
    set all {}
    for {set i 0} {$i < 50} {incr i} { lappend all $i }
    create_set s $all
    assert_equal {} [r srandmember s 0]
    # A count >= the size returns the whole set.
    assert_equal [lsort -integer $all] [lsort -integer [r srandmember s 50]]
    assert_equal [lsort -integer $all] [lsort -integer [r srandmember s 1000]]
    # Smaller positive counts: distinct members of the set (both the
    # "large share" and the "small share" sampling paths).
    foreach count {1 2 5 16 17 30 49} {
        set got [r srandmember s $count]
        assert_equal $count [llength $got] "count $count"
        assert_equal $count [llength [lsort -unique $got]]
        foreach m $got { assert {$m in $all} }
    }
    # Negative counts: exactly that many, repetitions allowed.
    foreach count {-1 -5 -50 -200} {
        set got [r srandmember s $count]
        assert_equal [expr {-$count}] [llength $got]
        foreach m $got { assert {$m in $all} }
    }
    # Nothing was removed.
    assert_equal 50 [r scard s]
    set_use_encoding intset
}

test "SRANDMEMBER with a negative count repeats members - $enc" {
    set_use_encoding $enc
    create_set s {1 2}
    set got [r srandmember s -100]
    assert_equal 100 [llength $got]
    assert_equal {1 2} [lsort -unique $got]
    set_use_encoding intset
}

test "SRANDMEMBER errors - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    assert_error {ERR syntax error} {r srandmember s 1 2}
    assert_error {ERR value is not an integer or out of range} {r srandmember s a}
    assert_error {ERR value is not an integer or out of range} {r srandmember s 1.5}
    assert_error {ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807} \
        {r srandmember s -9223372036854775808}
    assert_equal {} [r srandmember nosuchkey 3]
    assert_equal {} [r srandmember nosuchkey -3]
    set_use_encoding intset
}

test "SRANDMEMBER histogram distribution - $enc" {
    set_use_encoding $enc
    set all {}
    for {set i 0} {$i < 10} {incr i} { lappend all $i }
    create_set s $all
    # 9 degrees of freedom: 40 is exceeded with probability ~ 1e-5.
    assert_lessthan [set_chi_square [r srandmember s -2000]] 40
    set draws {}
    for {set i 0} {$i < 400} {incr i} { lappend draws [r srandmember s] }
    assert_lessthan [set_chi_square $draws] 40
    # Positive counts sample without replacement, but fairly across calls.
    set draws {}
    for {set i 0} {$i < 400} {incr i} { lappend draws {*}[r srandmember s 3] }
    assert_lessthan [set_chi_square $draws] 40
    set draws {}
    for {set i 0} {$i < 200} {incr i} { lappend draws {*}[r srandmember s 8] }
    assert_lessthan [set_chi_square $draws] 40
    set_use_encoding intset
}

test "SPOP distribution - $enc" {
    set_use_encoding $enc
    set draws {}
    for {set i 0} {$i < 300} {incr i} {
        create_set s {0 1 2 3 4 5 6 7 8 9}
        lappend draws [r spop s]
        lappend draws {*}[r spop s 2]
    }
    assert_lessthan [set_chi_square $draws] 40
    set_use_encoding intset
}

# ------------------------------------------------------------- SMOVE

test "SMOVE basics - $enc" {
    set_use_encoding $enc
    create_set src {1 2 3}
    create_set dst {3 4}
    assert_equal 1 [r smove src dst 1]
    assert_equal {2 3} [lsort [r smembers src]]
    assert_equal {1 3 4} [lsort [r smembers dst]]
    # Already in the destination: removed from the source only.
    assert_equal 1 [r smove src dst 3]
    assert_equal {2} [r smembers src]
    assert_equal {1 3 4} [lsort [r smembers dst]]
    # Not in the source.
    assert_equal 0 [r smove src dst 9]
    assert_equal 0 [r smove src dst foo]
    # The last member takes the source key with it.
    assert_equal 1 [r smove src dst 2]
    assert_equal 0 [r exists src]
    assert_equal {1 2 3 4} [lsort [r smembers dst]]
    assert_encoding $enc dst
    set_use_encoding intset
}

test "SMOVE creates the destination - $enc" {
    set_use_encoding $enc
    create_set src {1 2}
    r del dst
    assert_equal 1 [r smove src dst 2]
    assert_equal {2} [r smembers dst]
    assert_encoding $enc dst
    assert_equal {1} [r smembers src]
    set_use_encoding intset
}

test "SMOVE with the same source and destination - $enc" {
    set_use_encoding $enc
    create_set s {1 2}
    assert_equal 1 [r smove s s 1]
    assert_equal 0 [r smove s s 3]
    assert_equal {1 2} [lsort [r smembers s]]
    set_use_encoding intset
}

test "SMOVE of a missing source - $enc" {
    set_use_encoding $enc
    r del src
    create_set dst {1}
    assert_equal 0 [r smove src dst 1]
    assert_equal 0 [r exists src]
    assert_equal {1} [r smembers dst]
    set_use_encoding intset
}

# ------------------------------------------------------- SINTER and friends

test "SINTER, SINTERCARD, SINTERSTORE - $enc" {
    set_use_encoding $enc
    create_set a {1 2 3 4 5 6}
    create_set b {2 4 6 8}
    create_set c {4 6 9}
    assert_equal {2 4 6} [lsort [r sinter a b]]
    assert_equal {4 6} [lsort [r sinter a b c]]
    assert_equal {4 6} [lsort [r sinter c b a]]
    assert_equal {1 2 3 4 5 6} [lsort [r sinter a]]
    assert_equal {1 2 3 4 5 6} [lsort [r sinter a a]]
    assert_equal 3 [r sintercard 2 a b]
    assert_equal 2 [r sintercard 3 a b c]
    assert_equal 6 [r sintercard 1 a]
    assert_equal 2 [r sinterstore dst a b c]
    assert_equal {4 6} [lsort [r smembers dst]]
    assert_encoding $enc dst
    assert_equal 2 [r sinterstore dst dst a b]
    assert_equal {4 6} [lsort [r smembers dst]]
    set_use_encoding intset
}

test "SINTER with a missing key is empty - $enc" {
    set_use_encoding $enc
    create_set a {1 2 3}
    r del nokey
    assert_equal {} [r sinter a nokey]
    assert_equal {} [r sinter nokey a]
    assert_equal 0 [r sintercard 2 a nokey]
    r set dst x
    assert_equal 0 [r sinterstore dst a nokey]
    assert_equal 0 [r exists dst]
    set_use_encoding intset
}

test "SINTERSTORE with an empty result deletes the destination - $enc" {
    set_use_encoding $enc
    create_set a {1 2}
    create_set b {3 4}
    create_set dst {9}
    assert_equal 0 [r sinterstore dst a b]
    assert_equal 0 [r exists dst]
    assert_equal 0 [r sinterstore dst a b]
    set_use_encoding intset
}

test "SINTERCARD with LIMIT - $enc" {
    set_use_encoding $enc
    create_set a {1 2 3 4 5 6}
    create_set b {1 2 3 4 5 7}
    assert_equal 5 [r sintercard 2 a b]
    assert_equal 5 [r sintercard 2 a b limit 0]
    assert_equal 3 [r sintercard 2 a b limit 3]
    assert_equal 5 [r sintercard 2 a b LIMIT 5]
    assert_equal 5 [r sintercard 2 a b limit 100]
    assert_equal 1 [r sintercard 2 a b limit 1]
    # The last LIMIT wins.
    assert_equal 2 [r sintercard 2 a b limit 1 limit 2]
    set_use_encoding intset
}

test "SUNION, SUNIONSTORE - $enc" {
    set_use_encoding $enc
    create_set a {1 2 3}
    create_set b {3 4}
    r del nokey
    assert_equal {1 2 3 4} [lsort [r sunion a b]]
    assert_equal {1 2 3 4} [lsort [r sunion a nokey b]]
    assert_equal {1 2 3} [lsort [r sunion a]]
    assert_equal {} [r sunion nokey]
    assert_equal 4 [r sunionstore dst a b nokey]
    assert_equal {1 2 3 4} [lsort [r smembers dst]]
    assert_encoding $enc dst
    assert_equal 0 [r sunionstore dst nokey]
    assert_equal 0 [r exists dst]
    set_use_encoding intset
}

test "SDIFF, SDIFFSTORE - $enc" {
    set_use_encoding $enc
    create_set a {1 2 3 4 5}
    create_set b {2 4}
    create_set c {5 6}
    r del nokey
    assert_equal {1 3 5} [lsort [r sdiff a b]]
    assert_equal {1 3} [lsort [r sdiff a b c]]
    assert_equal {1 3} [lsort [r sdiff a nokey b c nokey]]
    assert_equal {1 2 3 4 5} [lsort [r sdiff a]]
    assert_equal {} [r sdiff nokey a]
    assert_equal {} [r sdiff a a]
    assert_equal {} [r sdiff a b a]
    assert_equal {6} [r sdiff c a]
    assert_equal 2 [r sdiffstore dst a b c]
    assert_equal {1 3} [lsort [r smembers dst]]
    assert_encoding $enc dst
    assert_equal 0 [r sdiffstore dst a a]
    assert_equal 0 [r exists dst]
    set_use_encoding intset
}

test "SDIFF when the first set is much larger than the others - $enc" {
    set_use_encoding $enc
    set big {}
    for {set i 0} {$i < 200} {incr i} { lappend big $i }
    r del a
    r sadd a {*}$big
    create_set b {5 10}
    create_set c {100}
    create_set d {7}
    create_set e {8}
    set expected [set_tcl_diff $big {5 10 100 7 8}]
    assert_equal [lsort -integer $expected] [lsort -integer [r sdiff a b c d e]]
    assert_equal 195 [r sdiffstore dst a b c d e]
    set_use_encoding intset
}

test "*STORE overwrite a value of any type and drop its TTL - $enc" {
    set_use_encoding $enc
    create_set a {1 2}
    create_set b {2 3}
    foreach cmd {sinterstore sunionstore sdiffstore} {
        r set dst string
        r expire dst 100
        assert_morethan [r $cmd dst a b] 0
        assert_equal set [r type dst]
        assert_equal -1 [r ttl dst]
    }
    set_use_encoding intset
}

test "*STORE when the destination is also a source - $enc" {
    set_use_encoding $enc
    create_set a {1 2 3}
    create_set b {2 3 4}
    assert_equal 4 [r sunionstore a a b]
    assert_equal {1 2 3 4} [lsort [r smembers a]]
    assert_equal 1 [r sdiffstore a a b]
    assert_equal {1} [r smembers a]
    create_set a {1 2 3}
    assert_equal 2 [r sinterstore b a b]
    assert_equal {2 3} [lsort [r smembers b]]
    set_use_encoding intset
}

test "Set algebra mixing encodings and member kinds - $enc" {
    set_use_encoding $enc
    create_set ints {1 2 3 4}
    r del strs
    r sadd strs 2 4 x y
    assert_encoding hashtable strs
    assert_equal {2 4} [lsort [r sinter ints strs]]
    assert_equal {2 4} [lsort [r sinter strs ints]]
    assert_equal {1 3} [lsort [r sdiff ints strs]]
    assert_equal {x y} [lsort [r sdiff strs ints]]
    assert_equal {1 2 3 4 x y} [lsort [r sunion ints strs]]
    assert_equal 2 [r sintercard 2 strs ints]
    set_use_encoding intset
}

# ---------------------------------------------------------------- SSCAN

test "SSCAN returns every member - $enc" {
    set_use_encoding $enc
    r del s
    set all {}
    for {set i 0} {$i < 300} {incr i} { lappend all $i }
    r sadd s {*}$all
    set got {}
    set cursor 0
    set calls 0
    while 1 {
        lassign [r sscan s $cursor count 10] cursor batch
        lappend got {*}$batch
        incr calls
        if {$cursor == 0} break
    }
    assert_equal [lsort -integer $all] [lsort -integer -unique $got]
    if {$enc eq "intset"} {
        # An intset is returned whole by the first call.
        assert_equal 1 $calls
        assert_equal 300 [llength $got]
    } else {
        assert_morethan $calls 1
    }
    set_use_encoding intset
}

test "SSCAN with MATCH - $enc" {
    set_use_encoding $enc
    r del s
    for {set i 0} {$i < 100} {incr i} { r sadd s $i }
    set got {}
    set cursor 0
    while 1 {
        lassign [r sscan s $cursor match 1* count 7] cursor batch
        lappend got {*}$batch
        if {$cursor == 0} break
    }
    assert_equal [lsort -integer {1 10 11 12 13 14 15 16 17 18 19}] [lsort -integer -unique $got]
    lassign [r sscan s 0 match nomatch* count 1000] cursor batch
    assert_equal {} $batch
    set_use_encoding intset
}

test "SSCAN guarantees with members added and removed meanwhile - $enc" {
    set_use_encoding $enc
    r del s
    for {set i 0} {$i < 500} {incr i} { r sadd s $i }
    set got {}
    set cursor 0
    set n 1000
    while 1 {
        lassign [r sscan s $cursor] cursor batch
        lappend got {*}$batch
        # Members 0..249 stay; 250..499 are removed; new ones come.
        r srem s [expr {$n - 750}]
        r sadd s $n
        incr n
        if {$cursor == 0} break
    }
    set got [lsort -integer -unique $got]
    for {set i 0} {$i < 250} {incr i} {
        assert {[lsearch -sorted -integer $got $i] >= 0}
    }
    set_use_encoding intset
}

test "SSCAN errors and missing keys - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    assert_error {ERR invalid cursor} {r sscan s abc}
    assert_error {ERR syntax error} {r sscan s 0 foo}
    assert_error {ERR syntax error} {r sscan s 0 count}
    assert_error {ERR syntax error} {r sscan s 0 count 0}
    assert_error {ERR value is not an integer or out of range} {r sscan s 0 count x}
    assert_error {ERR syntax error} {r sscan s 0 match}
    assert_error {ERR syntax error} {r sscan s 0 type set}
    # A missing key is an empty scan whatever the options...
    assert_equal {0 {}} [r sscan nosuchkey 0]
    assert_equal {0 {}} [r sscan nosuchkey 0 foo bar]
    # ...but the cursor is checked first.
    assert_error {ERR invalid cursor} {r sscan nosuchkey abc}
    set_use_encoding intset
}

# ---------------------------------------------------------------- others

test "COPY of a set is a deep copy with the same encoding - $enc" {
    set_use_encoding $enc
    create_set s {1 2 3}
    r del t
    assert_equal 1 [r copy s t]
    assert_encoding $enc t
    r sadd t 4
    r srem s 1
    assert_equal {2 3} [lsort [r smembers s]]
    assert_equal {1 2 3 4} [lsort [r smembers t]]
    set_use_encoding intset
}

test "UNLINK and DEL of a large set - $enc" {
    set_use_encoding $enc
    r del s
    set members {}
    for {set i 0} {$i < 5000} {incr i} { lappend members $i }
    r sadd s {*}$members
    assert_equal 1 [r unlink s]
    assert_equal 0 [r exists s]
    r sadd s {*}$members
    assert_equal 1 [r del s]
    assert_equal 0 [r exists s]
    set_use_encoding intset
}

test "Randomized set algebra against Tcl - $enc" {
    set_use_encoding $enc
    for {set round 0} {$round < 10} {incr round} {
        set sets {}
        foreach k {r1 r2 r3} {
            r del $k
            set members {}
            set n [randomInt 80]
            for {set i 0} {$i < $n} {incr i} {
                if {[randomInt 4] == 0} {
                    lappend members "s[randomInt 60]"
                } else {
                    lappend members [randomSignedInt 60]
                }
            }
            if {[llength $members]} { r sadd $k {*}$members }
            lappend sets [lsort -unique $members]
        }
        lassign $sets a b c
        set inter [set_tcl_inter [set_tcl_inter $a $b] $c]
        assert_equal $inter [lsort [r sinter r1 r2 r3]]
        assert_equal [llength $inter] [r sintercard 3 r1 r2 r3]
        assert_equal [lsort -unique [concat $a $b $c]] [lsort [r sunion r1 r2 r3]]
        assert_equal [set_tcl_diff [set_tcl_diff $a $b] $c] [lsort [r sdiff r1 r2 r3]]
        assert_equal [llength $inter] [r sinterstore d r1 r2 r3]
        assert_equal $inter [lsort [r smembers d]]
    }
    set_use_encoding intset
}

} ;# foreach enc

# ----------------------------------------------------- result encodings

test {*STORE results are intsets when their members allow it} {
    r config set set-max-intset-entries 0
    r del h
    r sadd h 1 2 3
    assert_encoding hashtable h
    r config set set-max-intset-entries 512
    r sunionstore d1 h
    assert_encoding intset d1
    r sinterstore d2 h h
    assert_encoding intset d2
    r sdiffstore d3 h nokey
    assert_encoding intset d3
    # A hashtable that lost its string members keeps its encoding, but a
    # result computed from it does not.
    r del m
    r sadd m a 1 2
    r srem m a
    assert_encoding hashtable m
    r sunionstore d4 m
    assert_encoding intset d4
    # Too many integers for an intset, or any non-integer: hashtable.
    r config set set-max-intset-entries 4
    r del big
    r sadd big 1 2 3 4 5
    r sunionstore d5 big
    assert_encoding hashtable d5
    r config set set-max-intset-entries 512
    r del x
    r sadd x a
    r sunionstore d6 m x
    assert_encoding hashtable d6
}

test {SDIFFSTORE encoding follows the algorithm Redis picks} {
    # A large first set against several small ones is computed by copying
    # the first set and removing, which converts it on the way; a large
    # first set against one large set is walked member by member.
    r del s0 s1 s2 s3 s4 t0 t1
    set l {}
    for {set i 1} {$i <= 600} {incr i} { lappend l $i }
    r sadd s0 {*}$l
    r sadd t0 {*}$l
    for {set j 1} {$j <= 4} {incr j} {
        r sadd s$j {*}[lrange $l [expr {($j - 1) * 100}] [expr {$j * 100 - 1}]]
    }
    r sadd t1 {*}[lrange $l 0 499]
    assert_equal 200 [r sdiffstore r1 s0 s1 s2 s3 s4]
    assert_encoding hashtable r1
    assert_equal 100 [r sdiffstore r2 t0 t1]
    assert_encoding intset r2
}

test {SMOVE of a non-integer into an intset converts the destination} {
    r del src dst
    r sadd src a 1
    r sadd dst 2 3
    assert_encoding intset dst
    assert_equal 1 [r smove src dst 1]
    assert_encoding intset dst
    assert_equal 1 [r smove src dst a]
    assert_encoding hashtable dst
    assert_equal {1 2 3 a} [lsort [r smembers dst]]
    # The source was emptied and deleted.
    assert_equal 0 [r exists src]
}

test {SMOVE into a full intset converts it} {
    r config set set-max-intset-entries 3
    r del src dst
    r sadd src 9
    r sadd dst 1 2 3
    assert_equal 1 [r smove src dst 9]
    assert_encoding hashtable dst
    r config set set-max-intset-entries 512
}

test {SPOP that keeps few members rebuilds them as an intset} {
    # Redis builds the survivors of a large SPOP into a new set, which is an
    # intset when they allow it.
    r del big
    set l {}
    for {set i 1} {$i <= 1000} {incr i} { lappend l $i }
    r sadd big {*}$l
    assert_encoding hashtable big
    assert_equal 900 [llength [r spop big 900]]
    assert_equal 100 [r scard big]
    assert_encoding intset big
    # Popping a few leaves the encoding alone.
    r del big
    r sadd big {*}$l
    assert_equal 100 [llength [r spop big 100]]
    assert_encoding hashtable big
    assert_equal 900 [r scard big]
}

test {SPOP with a large count on a large intset} {
    r config set set-max-intset-entries 5000
    r del s
    set l {}
    for {set i 0} {$i < 4000} {incr i} { lappend l [expr {$i * 3 - 6000}] }
    r sadd s {*}$l
    assert_encoding intset s
    set popped [r spop s 3000]
    assert_equal 3000 [llength [lsort -unique $popped]]
    set rest [r smembers s]
    assert_equal 1000 [llength $rest]
    assert_equal [lsort -integer $l] [lsort -integer [concat $popped $rest]]
    assert_encoding intset s
    r config set set-max-intset-entries 512
}

# ------------------------------------------------------------- WRONGTYPE

test {Every set command refuses a key of another type} {
    r del str s
    r set str x
    r sadd s 1
    foreach cmd {
        {sadd str 1} {srem str 1} {sismember str 1} {smismember str 1} {scard str}
        {smembers str} {srandmember str} {srandmember str 0} {srandmember str -3}
        {spop str} {spop str 0} {spop str 3} {sinter str} {sintercard 1 str}
        {sinterstore d str} {sunion str} {sunionstore d str} {sdiff str}
        {sdiffstore d str} {sscan str 0} {smove str s 1}
    } {
        assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} \
            {r {*}$cmd} $cmd
    }
    assert_equal x [r get str]
}

test {WRONGTYPE in any key position of the multi-key commands} {
    r del str a nokey
    r set str x
    r sadd a 1 2
    foreach cmd {sinter sunion sdiff} {
        foreach keys {{a str} {str a} {nokey str} {a nokey str} {a a str}} {
            assert_error {WRONGTYPE*} {r $cmd {*}$keys} "$cmd $keys"
        }
    }
    foreach cmd {sinterstore sunionstore sdiffstore} {
        foreach keys {{a str} {str a} {nokey str} {a nokey str}} {
            r del d
            assert_error {WRONGTYPE*} {r $cmd d {*}$keys} "$cmd $keys"
            assert_equal 0 [r exists d]
        }
    }
    assert_error {WRONGTYPE*} {r sintercard 2 a str}
    assert_error {WRONGTYPE*} {r sintercard 2 nokey str}
    assert_error {WRONGTYPE*} {r sintercard 3 nokey a str limit 1}
    # The destination of a *STORE is overwritten whatever its type.
    assert_equal 2 [r sunionstore str a]
    assert_equal set [r type str]
}

test {SMOVE checks its keys in Redis's order} {
    r del str s nokey
    r set str x
    r sadd s 1
    # A missing source answers 0 even with a wrongly typed destination.
    assert_equal 0 [r smove nokey str 1]
    assert_error {WRONGTYPE*} {r smove str s 1}
    assert_error {WRONGTYPE*} {r smove s str 1}
    assert_error {WRONGTYPE*} {r smove s str 2}
    assert_equal {1} [r smembers s]
    assert_equal x [r get str]
}

test {Options are parsed before keys are looked up} {
    r del str
    r set str x
    assert_error {ERR value is out of range, must be positive} {r spop str -1}
    assert_error {ERR value is not an integer or out of range} {r srandmember str x}
    assert_error {ERR numkeys should be greater than 0} {r sintercard 0 str}
    assert_error {ERR invalid cursor} {r sscan str x}
}

# ------------------------------------------------------------- SINTERCARD

test {SINTERCARD argument errors} {
    r del a
    r sadd a 1
    assert_error {ERR numkeys should be greater than 0} {r sintercard 0 a}
    assert_error {ERR numkeys should be greater than 0} {r sintercard -1 a}
    assert_error {ERR numkeys should be greater than 0} {r sintercard a a}
    assert_error {ERR numkeys should be greater than 0} {r sintercard 9223372036854775808 a}
    assert_error {ERR Number of keys can't be greater than number of args} {r sintercard 2 a}
    assert_error {ERR Number of keys can't be greater than number of args} {r sintercard 5 a b c}
    assert_error {ERR syntax error} {r sintercard 1 a limit}
    assert_error {ERR syntax error} {r sintercard 1 a foo}
    assert_error {ERR syntax error} {r sintercard 1 a foo 1}
    assert_error {ERR LIMIT can't be negative} {r sintercard 1 a limit -1}
    assert_error {ERR LIMIT can't be negative} {r sintercard 1 a limit x}
    assert_error {ERR wrong number of arguments for 'sintercard' command} {r sintercard 1}
    # LIMIT parsing happens before key lookups.
    assert_error {ERR LIMIT can't be negative} {r sintercard 1 nokey limit -1}
}

test {Arity errors} {
    foreach {cmd args} {
        sadd {k} srem {k} sismember {k} smismember {k} scard {} smembers {}
        srandmember {} spop {} smove {a b} sinter {} sinterstore {d} sunion {}
        sunionstore {d} sdiff {} sdiffstore {d} sscan {k} sintercard {}
    } {
        assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd {*}$args} $cmd
    }
}

# ---------------------------------------------------------- reply types

test {RESP2 replies: nulls and empty arrays} {
    r del nokey
    assert_equal {{$-1}} [set_raw_lines 1 spop nokey]
    assert_equal {{$-1}} [set_raw_lines 1 srandmember nokey]
    assert_equal {*0} [set_raw_lines 1 spop nokey 3]
    assert_equal {*0} [set_raw_lines 1 srandmember nokey 3]
    assert_equal {*0} [set_raw_lines 1 smembers nokey]
    assert_equal {*0} [set_raw_lines 1 sinter nokey]
    assert_equal {:0} [set_raw_lines 1 scard nokey]
    assert_equal {:0} [set_raw_lines 1 sismember nokey a]
    r del s1
    r sadd s1 a
    assert_equal {*1 {$1} a} [set_raw_lines 3 smembers s1]
    assert_equal {*1 {$1} a} [set_raw_lines 3 spop s1 5]
}

test {RESP3 replies: sets for set results, arrays for SRANDMEMBER} {
    r hello 3
    r del s nokey
    r sadd s 1
    assert_equal {~1 {$1} 1} [set_raw_lines 3 smembers s]
    assert_equal {~1 {$1} 1} [set_raw_lines 3 sinter s]
    assert_equal {~1 {$1} 1} [set_raw_lines 3 sunion s]
    assert_equal {~1 {$1} 1} [set_raw_lines 3 sdiff s]
    assert_equal {~0} [set_raw_lines 1 sinter s nokey]
    assert_equal {~0} [set_raw_lines 1 smembers nokey]
    assert_equal {*1 {$1} 1} [set_raw_lines 3 srandmember s 1]
    assert_equal {*1 {$1} 1} [set_raw_lines 3 srandmember s 5]
    assert_equal {*2 {$1} 1 {$1} 1} [set_raw_lines 5 srandmember s -2]
    assert_equal {*0} [set_raw_lines 1 srandmember s 0]
    assert_equal {*0} [set_raw_lines 1 srandmember nokey 2]
    assert_equal {*2 :1 :0} [set_raw_lines 3 smismember s 1 2]
    assert_equal {*2 {$1} 0 *1 {$1} 1} [set_raw_lines 6 sscan s 0]
    assert_equal {_} [set_raw_lines 1 spop nokey]
    assert_equal {_} [set_raw_lines 1 srandmember nokey]
    assert_equal {~0} [set_raw_lines 1 spop nokey 2]
    assert_equal {~0} [set_raw_lines 1 spop s 0]
    assert_equal {~1 {$1} 1} [set_raw_lines 3 spop s 1]
    r sadd s 1 2 3
    assert_equal {~3} [lindex [set_raw_lines 7 spop s 5] 0]
    r sadd s 1 2 3 4 5
    assert_equal {~2} [lindex [set_raw_lines 5 spop s 2] 0]
    r hello 2
}

# ---------------------------------------------------------------- digest

test {DEBUG DIGEST-VALUE does not depend on encoding or insertion order} {
    r del a b c
    r sadd a 1 2 3 300000
    r config set set-max-intset-entries 0
    r sadd b 300000 3 2 1
    r config set set-max-intset-entries 512
    assert_encoding intset a
    assert_encoding hashtable b
    assert_equal [r debug digest-value a] [r debug digest-value b]
    r sadd c 1 2 3
    assert_not_equal [r debug digest-value a] [r debug digest-value c]
    r sadd c 300000
    assert_equal [r debug digest-value a] [r debug digest-value c]
    set d1 [r debug digest]
    r srem c 1
    assert_not_equal $d1 [r debug digest]
    r sadd c 1
    assert_equal $d1 [r debug digest]
} {needs:debug}

# ---------------------------------------------------------------- events

test {Set commands fire their keyspace events} {
    r flushdb
    r config set notify-keyspace-events KEA
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r sadd s 1 2 3
    r srem s 1
    r spop s
    r sadd t x
    r smove t s x
    r sadd u 5 6 7 8
    r spop u 2
    r spop u 5
    r sinterstore d s s
    r sunionstore d s
    r sdiffstore d s
    r sdiffstore d s s
    assert_equal {{sadd s} {srem s} {spop s} {sadd t} {srem t} {del t} {sadd s} {sadd u} {spop u} {spop u} {del u} {sinterstore d} {sunionstore d} {sdiffstore d} {del d}} \
        [set_read_events $c 15]
    $c close
    r config set notify-keyspace-events ""
} {pubsub needs:pubsub}

test {Set writes that change nothing fire no events} {
    r flushdb
    r sadd s 1
    r config set notify-keyspace-events KEA
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r sadd s 1
    r srem s 2
    r srem nokey 1
    r smove s d 9
    r smove s s 1
    r spop s 0
    r sinterstore d nokey s
    r set marker 1
    assert_equal {{set marker}} [set_read_events $c 1]
    $c close
    r config set notify-keyspace-events ""
} {pubsub needs:pubsub}

test {SMOVE to a new key fires new then sadd} {
    r flushdb
    r sadd s 1 2
    r config set notify-keyspace-events KEAn
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r smove s d 1
    assert_equal {{srem s} {new d} {sadd d}} [set_read_events $c 3]
    $c close
    r config set notify-keyspace-events ""
} {pubsub needs:pubsub}

}
