# sort.tcl: SORT and SORT_RO over sets, lists and sorted sets.
#
# Every expectation here was checked against Redis 7.0.  Sets are sorted in
# both encodings (intset and hashtable, the latter forced with
# set-max-intset-entries 0 or by non-integer members); where Redis leaves the
# order unspecified (a set with BY nosort) the test compares sorted copies.
# Tests that need lists or sorted sets (including every STORE, which writes a
# list) are tagged needs:types.

# The elements with their BY weights (w_<e>) and data keys (d_<e>, and the
# hash h_<e> with fields w and d) used by most tests.
proc sort_setup_weights {} {
    r flushdb
    foreach {e w} {1 30 2 10 3 20 10 5 7 40} {
        r set w_$e $w
        r set d_$e data$e
        r hset h_$e w [expr {100 - $w}] d hdata$e
    }
}

proc sort_with_encodings {body} {
    foreach enc {intset hashtable} {
        r config set set-max-intset-entries [expr {$enc eq "intset" ? 512 : 0}]
        uplevel 1 [list set enc $enc]
        uplevel 1 $body
    }
    r config set set-max-intset-entries 512
}

start_server {tags {"sort"}} {

# ---------------------------------------------------------------- sets

sort_with_encodings {
    test "SORT a set numerically ($enc)" {
        sort_setup_weights
        r sadd s 1 2 3 10 7
        assert_encoding $enc s
        assert_equal {1 2 3 7 10} [r sort s]
        assert_equal {1 2 3 7 10} [r sort s asc]
        assert_equal {10 7 3 2 1} [r sort s desc]
        assert_equal {10 7 3 2 1} [r sort_ro s DESC]
    }

    test "SORT ALPHA of a set ($enc)" {
        sort_setup_weights
        r sadd s 1 2 3 10 7
        assert_equal {1 10 2 3 7} [r sort s alpha]
        assert_equal {7 3 2 10 1} [r sort s alpha desc]
    }

    test "SORT LIMIT ($enc)" {
        sort_setup_weights
        r sadd s 1 2 3 10 7
        assert_equal {2 3} [r sort s limit 1 2]
        assert_equal {7 3} [r sort s desc limit 1 2]
        assert_equal {3 7 10} [r sort s limit 2 -1]
        assert_equal {3 7 10} [r sort s limit 2 -5]
        assert_equal {1 2} [r sort s limit -5 2]
        assert_equal {} [r sort s limit 5 1]
        assert_equal {} [r sort s limit 100 10]
        assert_equal {} [r sort s limit 0 0]
        assert_equal {1 2 3 7 10} [r sort s limit 0 100]
        assert_equal {10} [r sort s limit 4 9223372036854775807]
    }

    test "SORT BY a string key pattern ($enc)" {
        sort_setup_weights
        r sadd s 1 2 3 10 7
        # weights: 1->30 2->10 3->20 10->5 7->40
        assert_equal {10 2 3 1 7} [r sort s by w_*]
        assert_equal {7 1 3 2 10} [r sort s by w_* desc]
        assert_equal {2 3} [r sort s by w_* limit 1 2]
    }

    test "SORT BY a hash field ($enc)" {
        sort_setup_weights
        r sadd s 1 2 3 10 7
        # h_<e> w = 100 - weight
        assert_equal {7 1 3 2 10} [r sort s by h_*->w]
        assert_equal {10 2 3 1 7} [r sort s by h_*->w desc]
    }

    test "SORT GET patterns, # and hash fields ($enc)" {
        sort_setup_weights
        r sadd s 1 2 3
        assert_equal {data1 data2 data3} [r sort s get d_*]
        assert_equal {1 data1 hdata1 2 data2 hdata2 3 data3 hdata3} [r sort s get # get d_* get h_*->d]
        assert_equal {30 10 20} [r sort s get w_*]
        assert_equal {2 3} [r sort s by w_* limit 0 2 get #]
    }

    test "SORT GET of a missing key, field or non-string is a null ($enc)" {
        sort_setup_weights
        r sadd s 1 2 3
        r sadd notastring x
        r set d_2 ""
        r readraw 1
        assert_equal {*3} [r sort s get nokey_*]
        assert_equal {$-1} [r read]
        assert_equal {$-1} [r read]
        assert_equal {$-1} [r read]
        assert_equal {*3} [r sort s get d_*]
        assert_equal {$5} [r read]
        assert_equal data1 [r read]
        assert_equal {$0} [r read]
        assert_equal {} [r read]
        assert_equal {$5} [r read]
        assert_equal data3 [r read]
        r readraw 0
        # No '*': a fixed key is never looked up.
        r set fixed v
        assert_equal {{} {} {}} [r sort s get fixed]
        assert_equal {{} {} {}} [r sort s get h_*->nofield]
        assert_equal {{} {} {}} [r sort s get notastring]
    }
}

test {SORT of members that are not numbers is an error} {
    r flushdb
    r sadd s 1 2 abc
    assert_error {ERR One or more scores can't be converted into double} {r sort s}
    assert_equal {1 2 abc} [r sort s alpha]
}

test {SORT numeric parsing follows strtod} {
    r flushdb
    # Leading blanks, exponents, hex, infinities and the empty string (0)
    # are numbers; trailing garbage and NaN are not.
    r sadd s " 7" 1e3 0x10 inf -inf "" 2.5
    assert_equal {-inf {} 2.5 { 7} 0x10 1e3 inf} [r sort s]
    r sadd t 1 "3 "
    assert_error {*can't be converted*} {r sort t}
    r del t
    r sadd t 1 nan
    assert_error {*can't be converted*} {r sort t}
    r del t
    r sadd t 1 2
    r set w_1 "1 x"
    assert_error {*can't be converted*} {r sort t by w_*}
}

test {SORT numeric ties are broken by comparing the elements} {
    r flushdb
    r sadd s b a c 10 9
    # No weight keys: every score is 0.
    assert_equal {10 9 a b c} [r sort s by nokey_*]
    assert_equal {c b a 9 10} [r sort s by nokey_* desc]
    r set w_a 1
    assert_equal {10 9 b c a} [r sort s by w_*]
}

test {SORT BY with weights of mixed kinds} {
    r flushdb
    r sadd s a b c d
    r set w_a 10
    r set w_b 2.5
    r hset h_c w 1
    r set w_d -3
    assert_equal {d c b a} [r sort s by w_*]
    r lpush w_c x
    assert_equal {d c b a} [r sort s by w_*]
} {needs:types}

test {SORT ALPHA BY: missing sort keys come first} {
    r flushdb
    r sadd s a b c
    r set w_a zz
    r set w_c mm
    assert_equal {b c a} [r sort s by w_* alpha]
    assert_equal {a c b} [r sort s by w_* alpha desc]
}

test {SORT BY a pattern without '*' does not sort} {
    r flushdb
    r sadd s 3 1 2
    assert_equal {1 2 3} [lsort [r sort s by nosort]]
    assert_equal 3 [llength [r sort s by nosort limit 0 5]]
    # Not even numbers are checked.
    r sadd s abc
    assert_equal {1 2 3 abc} [lsort [r sort s by nosort]]
    assert_equal {1 2 3 abc} [lsort [r sort_ro s by nokey]]
}

test {SORT BY the element itself as a key name} {
    r flushdb
    r sadd s a b
    r set a 2
    r set b 1
    assert_equal {b a} [r sort s by *]
    assert_equal {1 2} [r sort s by * get *]
}

test {SORT BY and GET substitute only the first '*'} {
    r flushdb
    r sadd s a b
    r set x_a_* 1
    r set x_b_* 2
    assert_equal {2 1} [r sort s by x_*_* desc get x_*_* alpha]
    assert_equal {2 1} [lrange [r sort s by x_*_* desc get x_*_*] 0 end]
}

test {SORT pattern "key*->" (nothing after the arrow) names a string key} {
    r flushdb
    r sadd s a
    r set h_a-> strval
    assert_equal {strval} [r sort s alpha get h_*->]
}

test {SORT of a missing key is empty} {
    r flushdb
    assert_equal {} [r sort nokey]
    assert_equal {} [r sort_ro nokey by w_* get #]
}

test {SORT of a string or a hash is WRONGTYPE} {
    r flushdb
    r set str 1
    r hset h f v
    assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r sort str}
    assert_error {WRONGTYPE Operation against a key holding the wrong kind of value} {r sort_ro h}
}

test {SORT syntax errors} {
    r flushdb
    r sadd s 1 2
    assert_error {ERR syntax error} {r sort s foo}
    assert_error {ERR syntax error} {r sort s limit 1}
    assert_error {ERR syntax error} {r sort s by}
    assert_error {ERR syntax error} {r sort s get}
    assert_error {ERR syntax error} {r sort s store}
    assert_error {ERR value is not an integer or out of range} {r sort s limit a 1}
    assert_error {ERR value is not an integer or out of range} {r sort s limit 1 b}
    assert_error {ERR value is not an integer or out of range} {r sort s limit 1 1.5}
    assert_error {ERR wrong number of arguments for 'sort' command} {r sort}
    assert_error {ERR wrong number of arguments for 'sort_ro' command} {r sort_ro}
    # Options are checked before the key.
    r set str x
    assert_error {ERR syntax error} {r sort str foo}
}

test {SORT_RO refuses STORE} {
    r flushdb
    r sadd s 1 2
    assert_error {ERR syntax error} {r sort_ro s store dst}
    assert_equal 0 [r exists dst]
}

test {SORT options are case-insensitive and the last one wins} {
    r flushdb
    r sadd s 1 2 3
    assert_equal {3 2 1} [r SORT s ASC DESC]
    assert_equal {1 2 3} [r sort s desc asc]
    assert_equal {2} [r sort s Limit 0 2 LIMIT 1 1]
}

test {SORT ALPHA compares bytes, with binary members} {
    r flushdb
    r sadd s b a "a b" "A" "\xff" "0"
    assert_equal [list 0 A a "a b" b "\xff"] [r sort s alpha]
}

# ---------------------------------------------------------------- lists

test {SORT a list} {
    r flushdb
    r rpush l 3 1 2 10
    assert_equal {1 2 3 10} [r sort l]
    assert_equal {10 3 2 1} [r sort l desc]
    assert_equal {1 10 2 3} [r sort l alpha]
    assert_equal {3 1 2 10} [r lrange l 0 -1]
} {needs:types}

test {SORT a list with duplicates} {
    r flushdb
    r rpush l 3 1 3 2 1
    assert_equal {1 1 2 3 3} [r sort l]
    assert_equal {3 3 2 1 1} [r sort l desc]
} {needs:types}

test {SORT BY nosort keeps the list order, DESC reverses it} {
    r flushdb
    r rpush l c a d b
    assert_equal {c a d b} [r sort l by nosort]
    assert_equal {b d a c} [r sort l by nosort desc]
    assert_equal {a d} [r sort l by nosort limit 1 2]
    assert_equal {d a} [r sort l by nosort desc limit 1 2]
    assert_equal {} [r sort l by nosort limit 10 2]
    assert_equal {} [r sort l by nosort limit 1 0]
    assert_equal {a d b} [r sort l by nosort limit 1 -1]
    assert_equal {c a} [r sort_ro l by nosort limit -2 2]
    assert_equal {c {} a {} d {}} [r sort l by nosort get # limit 0 3 get nokey]
} {needs:types}

test {SORT of a list by weights and GET} {
    sort_setup_weights
    r rpush l 1 2 3 10 7
    assert_equal {10 2 3 1 7} [r sort l by w_*]
    assert_equal {data10 data2 data3 data1 data7} [r sort l by w_* get d_*]
    assert_equal {7 1 3 2 10} [r sort l by h_*->w]
} {needs:types}

test {SORT of a big list (quicklist)} {
    r flushdb
    set expected {}
    for {set i 0} {$i < 1000} {incr i} {
        r rpush l [expr {(1000 - $i) * 3}]
        lappend expected [expr {($i + 1) * 3}]
    }
    assert_equal $expected [r sort l]
    assert_equal [lrange $expected 10 19] [r sort l limit 10 10]
    assert_equal [lreverse [r lrange l 0 -1]] [r sort l by nosort desc]
} {needs:types}

# ---------------------------------------------------------------- sorted sets

test {SORT of a sorted set ignores the scores} {
    r flushdb
    r zadd z 1 30 2 10 3 20
    assert_equal {10 20 30} [r sort z]
    assert_equal {30 20 10} [r sort z desc]
} {needs:types}

test {SORT BY nosort of a sorted set follows score order} {
    r flushdb
    r zadd z 1 c 2 a 3 d 4 b
    assert_equal {c a d b} [r sort z by nosort]
    assert_equal {b d a c} [r sort z by nosort desc]
    assert_equal {a d} [r sort z by nosort limit 1 2]
    assert_equal {d a} [r sort z by nosort desc limit 1 2]
    assert_equal {} [r sort z by nosort limit 4 2]
    assert_equal {c a d b} [r sort_ro z by nosort limit 0 -1]
} {needs:types}

test {SORT turns a listpack sorted set into a skiplist, as Redis 7.0 does} {
    r flushdb
    r zadd z 2 b 1 a
    assert_encoding listpack z
    assert_equal {a b} [r sort_ro z alpha]
    assert_encoding skiplist z
    assert_equal {a b} [r zrange z 0 -1]
} {needs:types}

test {SORT BY nosort of a big sorted set (skiplist)} {
    r flushdb
    set expected {}
    for {set i 0} {$i < 300} {incr i} {
        r zadd z $i m$i
        lappend expected m$i
    }
    assert_equal $expected [r sort z by nosort]
    assert_equal [lrange $expected 100 109] [r sort z by nosort limit 100 10]
    assert_equal [lreverse [lrange $expected 190 199]] [r sort z by nosort desc limit 100 10]
} {needs:types}

# ---------------------------------------------------------------- STORE

test {SORT STORE writes a list and returns its length} {
    sort_setup_weights
    r sadd s 1 2 3 10 7
    assert_equal 5 [r sort s by w_* store dst]
    assert_equal list [r type dst]
    assert_equal {10 2 3 1 7} [r lrange dst 0 -1]
    assert_equal 10 [r sort s get # get d_* store dst]
    assert_equal {1 data1 2 data2 3 data3 7 data7 10 data10} [r lrange dst 0 -1]
} {needs:types}

test {SORT STORE stores missing GET values as empty strings} {
    r flushdb
    r sadd s 1 2
    r set d_2 x
    assert_equal 2 [r sort s get d_* store dst]
    assert_equal {{} x} [r lrange dst 0 -1]
} {needs:types}

test {SORT STORE of nothing deletes the destination} {
    r flushdb
    r set dst old
    assert_equal 0 [r sort nokey store dst]
    assert_equal 0 [r exists dst]
    r sadd s 1 2
    r set dst old
    assert_equal 0 [r sort s limit 5 5 store dst]
    assert_equal 0 [r exists dst]
} {needs:types}

test {SORT STORE replaces any value and drops its TTL} {
    r flushdb
    r rpush l 2 1
    r set dst old
    r expire dst 100
    assert_equal 2 [r sort l store dst]
    assert_equal {1 2} [r lrange dst 0 -1]
    assert_equal -1 [r ttl dst]
    # The source itself may be the destination.
    assert_equal 2 [r sort l desc store l]
    assert_equal {2 1} [r lrange l 0 -1]
} {needs:types}

test {SORT STORE of a set BY nosort sorts it ALPHA} {
    r flushdb
    r sadd s 10 9 b a
    assert_equal 4 [r sort s by nosort store dst]
    assert_equal {10 9 a b} [r lrange dst 0 -1]
    assert_equal 2 [r sort s by nosort desc limit 1 2 store dst]
    assert_equal {a 9} [r lrange dst 0 -1]
} {needs:types}

test {SORT STORE fires sortstore, or del when it empties the destination} {
    r flushdb
    r rpush l 2 1
    r set dst old
    r config set notify-keyspace-events KEA
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@*__:*}
    $c read
    r sort l store dst
    r sort nokey store dst
    r sort nokey store dst
    r set marker 1
    set events {}
    for {set i 0} {$i < 3} {incr i} {
        lassign [$c read] kind pattern channel payload
        regsub {^__keyevent@[0-9]+__:} $channel {} event
        lappend events [list $event $payload]
    }
    assert_equal {{sortstore dst} {del dst} {set marker}} $events
    $c close
    r config set notify-keyspace-events ""
} {needs:types pubsub needs:pubsub}

test {SORT STORE with a conversion error stores nothing} {
    r flushdb
    r sadd s 1 x
    r set dst old
    assert_error {*can't be converted*} {r sort s store dst}
    assert_equal old [r get dst]
} {needs:types}

}
