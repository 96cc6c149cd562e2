# scan.tcl: SCAN, the incremental key iterator.
#
# What SCAN promises: a full iteration (from cursor 0 back to cursor 0)
# returns every key that was present for the whole iteration at least once,
# whatever COUNT is and however the keyspace grows or shrinks meanwhile;
# MATCH and TYPE only filter; expired keys are never returned.  The tests
# check those guarantees on databases of 1k to 100k keys, then the option
# parsing and its error texts.

# Runs a full SCAN with the extra arguments and returns every key returned
# (with repeats).  Checks on the way that every cursor is a decimal string.
proc scan_all {args} {
    set cursor 0
    set keys {}
    while 1 {
        lassign [r scan $cursor {*}$args] cursor page
        assert {[string is digit -strict $cursor]}
        lappend keys {*}$page
        if {$cursor == 0} break
    }
    return $keys
}

start_server {tags {"scan"}} {

test {SCAN on an empty database} {
    r flushdb
    assert_equal {0 {}} [r scan 0]
}

test {SCAN reply shape: the cursor is a bulk string} {
    r flushdb
    r set a 1
    r readraw 1
    assert_equal {*2} [r scan 0]
    assert_equal {$1} [r read]
    assert_equal {0} [r read]
    assert_equal {*1} [r read]
    assert_equal {$1} [r read]
    assert_equal {a} [r read]
    r readraw 0
}

foreach count {1 2 5 10 37 100} {
    test "SCAN COUNT $count returns all of 1000 keys" {
        r flushdb
        debug_populate 1000 key
        set keys [lsort -unique [scan_all count $count]]
        assert_equal 1000 [llength $keys]
        for {set i 0} {$i < 1000} {incr i} {
            assert {[lsearch -exact -sorted $keys key:$i] >= 0}
        }
    }
}

test {SCAN with the default COUNT returns all of 10000 keys} {
    r flushdb
    debug_populate 10000 key
    assert_equal 10000 [llength [lsort -unique [scan_all]]]
}

test {SCAN returns all of 100000 keys} {
    r flushdb
    debug_populate 100000 key
    assert_equal 100000 [llength [lsort -unique [scan_all count 100]]]
    r flushdb
}

test {SCAN COUNT bounds the page size on a dense table} {
    r flushdb
    debug_populate 1000 key
    # COUNT is a hint: a page covers whole buckets, so it can exceed COUNT a
    # little, but it must not return the whole table at once.
    lassign [r scan 0 count 10] cursor page
    assert {$cursor != 0}
    assert_range [llength $page] 1 40
}

test {SCAN MATCH filters by glob} {
    r flushdb
    debug_populate 1000 key
    r set other 1
    set keys [lsort -unique [scan_all match key:1*]]
    assert_equal 111 [llength $keys]
    foreach k $keys { assert_match key:1* $k }
    assert_equal {other} [lsort -unique [scan_all match oth?r count 7]]
    assert_equal {} [scan_all match nomatch*]
    assert_equal 1001 [llength [lsort -unique [scan_all match *]]]
}

test {SCAN MATCH with a pattern matching nothing still terminates} {
    r flushdb
    debug_populate 2000 key
    set calls 0
    set cursor 0
    while 1 {
        lassign [r scan $cursor match zzz* count 10] cursor page
        assert_equal {} $page
        incr calls
        if {$cursor == 0} break
    }
    # Each call visits about COUNT keys, so it takes many calls.
    assert_morethan $calls 10
}

test {SCAN TYPE filters by type, ignoring case} {
    r flushdb
    debug_populate 100 key
    assert_equal 100 [llength [lsort -unique [scan_all type string]]]
    assert_equal 100 [llength [lsort -unique [scan_all type STRING count 3]]]
    assert_equal {} [scan_all type list]
    assert_equal {} [scan_all type nosuchtype]
    assert_equal 11 [llength [lsort -unique [scan_all type string match key:1*]]]
}

test {SCAN TYPE with values of every type} {
    r flushdb
    r set s 1
    r rpush l a
    r sadd st a
    r zadd z 1 a
    r hset h f v
    assert_equal {s} [scan_all type string]
    assert_equal {l} [scan_all type list]
    assert_equal {st} [scan_all type set]
    assert_equal {z} [scan_all type zset]
    assert_equal {h} [scan_all type hash]
} {needs:types}

test {SCAN keeps returning keys that stay while others come and go} {
    r flushdb
    for {set i 0} {$i < 1000} {incr i} { r set stay:$i 1 }
    for {set i 0} {$i < 1000} {incr i} { r set go:$i 1 }
    set cursor 0
    set seen {}
    set added 0
    set removed 0
    while 1 {
        lassign [r scan $cursor count 10] cursor page
        foreach k $page { dict set seen $k 1 }
        # Grow and shrink the table under the iteration: add keys (forcing
        # resizes) and delete the transient ones.
        for {set j 0} {$j < 50 && $added < 3000} {incr j} { r set new:[incr added] 1 }
        for {set j 0} {$j < 25 && $removed < 1000} {incr j} { r del go:$removed; incr removed }
        if {$cursor == 0} break
    }
    for {set i 0} {$i < 1000} {incr i} {
        assert {[dict exists $seen stay:$i]} "stay:$i missing"
    }
}

test {SCAN across a shrink keeps every remaining key} {
    r flushdb
    debug_populate 10000 key
    for {set i 0} {$i < 100} {incr i} { r set keep:$i 1 }
    lassign [r scan 0 count 100] cursor page
    set seen {}
    foreach k $page { dict set seen $k 1 }
    # Delete almost everything: the table shrinks before the scan ends.
    for {set i 0} {$i < 10000} {incr i} { r del key:$i }
    while {$cursor != 0} {
        lassign [r scan $cursor count 100] cursor page
        foreach k $page { dict set seen $k 1 }
    }
    for {set i 0} {$i < 100} {incr i} {
        assert {[dict exists $seen keep:$i]} "keep:$i missing"
    }
}

test {SCAN does not return expired keys and deletes the ones it meets} {
    r flushdb
    r debug set-active-expire 0
    for {set i 0} {$i < 100} {incr i} {
        r set live:$i 1
        r set dead:$i 1
        r pexpire dead:$i 1
    }
    after 20
    assert_equal 200 [r dbsize]
    set keys [lsort -unique [scan_all count 10]]
    assert_equal 100 [llength $keys]
    foreach k $keys { assert_match live:* $k }
    assert_equal 100 [r dbsize]
    r debug set-active-expire 1
} {needs:debug}

test {SCAN cursor parsing} {
    r flushdb
    r set a 1
    # Anything strtoul accepts (sign, empty text) is a cursor; the result
    # only decides where the walk starts.
    assert_equal 2 [llength [r scan 18446744073709551615]]
    assert_equal 2 [llength [r scan -1]]
    assert_equal 2 [llength [r scan +0]]
    assert_equal 2 [llength [r scan ""]]
    assert_error "ERR invalid cursor" {r scan abc}
    assert_error "ERR invalid cursor" {r scan 1a}
    assert_error "ERR invalid cursor" {r scan " 0"}
    assert_error "ERR invalid cursor" {r scan 18446744073709551616}
    assert_error "ERR invalid cursor" {r scan 1.5}
    # The cursor is checked before the options.
    assert_error "ERR invalid cursor" {r scan abc count 0}
}

test {SCAN option errors} {
    assert_error "ERR syntax error" {r scan 0 count 0}
    assert_error "ERR syntax error" {r scan 0 count -1}
    assert_error "ERR value is not an integer or out of range" {r scan 0 count abc}
    assert_error "ERR value is not an integer or out of range" {r scan 0 count 99999999999999999999}
    assert_error "ERR syntax error" {r scan 0 count}
    assert_error "ERR syntax error" {r scan 0 match}
    assert_error "ERR syntax error" {r scan 0 type}
    assert_error "ERR syntax error" {r scan 0 foo bar}
    assert_error "ERR syntax error" {r scan 0 match * count}
    assert_error "*wrong number of arguments for 'scan' command*" {r scan}
}

test {SCAN accepts options in any order and case, the last one wins} {
    r flushdb
    debug_populate 100 key
    assert_equal 11 [llength [lsort -unique [scan_all COUNT 5 MATCH key:1* TYPE string]]]
    assert_equal 11 [llength [lsort -unique [scan_all match nomatch match key:1*]]]
}

test {SCAN in another database sees only that database} {
    r flushall
    r select 9
    r set a 1
    r select 10
    r set b 1
    assert_equal {b} [scan_all]
    r select 9
    assert_equal {a} [scan_all]
}

}
