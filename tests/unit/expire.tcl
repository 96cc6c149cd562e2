# expire.tcl: key expiry.
#
# Covers the EXPIRE family (EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT and their
# NX/XX/GT/LT options), TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST, plus
# the two ways a key dies: lazily when it is accessed, and actively when the
# server's cycle finds it with nobody asking.  Tests that switch the active
# cycle off with DEBUG SET-ACTIVE-EXPIRE are tagged needs:debug.

start_server {tags {"expire"}} {

test {EXPIRE sets a TTL and replies 1} {
    r flushdb
    r set k v
    assert_equal 1 [r expire k 100]
    assert_range [r ttl k] 99 100
    assert_range [r pttl k] 99000 100000
}

test {EXPIRE on a missing key replies 0 and creates nothing} {
    r flushdb
    assert_equal 0 [r expire nokey 100]
    assert_equal 0 [r pexpire nokey 100]
    assert_equal 0 [r expireat nokey 4000000000]
    assert_equal 0 [r pexpireat nokey 4000000000000]
    assert_equal 0 [r dbsize]
}

test {EXPIRE replaces an existing TTL} {
    r set k v
    r expire k 100
    r expire k 1000
    assert_range [r ttl k] 999 1000
    r expire k 10
    assert_range [r ttl k] 9 10
}

test {TTL and PTTL of missing and persistent keys} {
    r flushdb
    r set k v
    assert_equal -2 [r ttl nokey]
    assert_equal -2 [r pttl nokey]
    assert_equal -1 [r ttl k]
    assert_equal -1 [r pttl k]
}

test {TTL rounds to the nearest second} {
    r set k v
    r pexpire k 1700
    assert_equal 2 [r ttl k]
    r pexpire k 1300
    assert_equal 1 [r ttl k]
    r pexpire k 400
    assert_equal 0 [r ttl k]
    r expire k 100
    assert_equal 100 [r ttl k]
}

test {A key with a TTL disappears once it is due} {
    r flushdb
    r set k v
    r pexpire k 100
    assert_equal v [r get k]
    after 200
    assert_equal {} [r get k]
    assert_equal 0 [r exists k]
    assert_equal -2 [r ttl k]
}

test {EXPIRE with a time in the past deletes the key at once} {
    r flushdb
    r set a v
    r set b v
    r set c v
    r set d v
    assert_equal 1 [r expire a -1]
    assert_equal 1 [r pexpire b 0]
    assert_equal 1 [r expireat c 1]
    assert_equal 1 [r pexpireat d [expr {[clock milliseconds] - 1000}]]
    assert_equal 0 [r dbsize]
}

test {EXPIREAT and PEXPIREAT take absolute unix times} {
    r flushdb
    r set k v
    set at [expr {[clock seconds] + 100}]
    assert_equal 1 [r expireat k $at]
    assert_equal $at [r expiretime k]
    assert_equal [expr {$at * 1000}] [r pexpiretime k]
    assert_range [r ttl k] 98 100
    set pat [expr {[clock milliseconds] + 50000}]
    assert_equal 1 [r pexpireat k $pat]
    assert_equal $pat [r pexpiretime k]
    assert_equal [expr {($pat + 500) / 1000}] [r expiretime k]
}

test {EXPIRETIME and PEXPIRETIME of missing and persistent keys} {
    r flushdb
    r set k v
    assert_equal -2 [r expiretime nokey]
    assert_equal -2 [r pexpiretime nokey]
    assert_equal -1 [r expiretime k]
    assert_equal -1 [r pexpiretime k]
}

test {PEXPIRE gives millisecond precision} {
    r flushdb
    r set k v
    r pexpire k 100000
    assert_range [r pttl k] 99000 100000
    set at [r pexpiretime k]
    assert_range [expr {$at - [clock milliseconds]}] 98000 100001
}

test {PERSIST removes the TTL} {
    r flushdb
    r set k v
    r expire k 100
    assert_equal 1 [r persist k]
    assert_equal -1 [r ttl k]
    assert_equal 0 [r persist k]
    assert_equal 0 [r persist nokey]
    assert_equal v [r get k]
}

test {A persisted key survives its old deadline} {
    r flushdb
    r set k v
    r pexpire k 100
    r persist k
    after 200
    assert_equal v [r get k]
}

test {EXPIRE NX sets a TTL only when there is none} {
    r flushdb
    r set k v
    assert_equal 1 [r expire k 100 nx]
    assert_equal 0 [r expire k 200 NX]
    assert_range [r ttl k] 99 100
}

test {EXPIRE XX sets a TTL only when there is one} {
    r flushdb
    r set k v
    assert_equal 0 [r expire k 100 xx]
    assert_equal -1 [r ttl k]
    r expire k 100
    assert_equal 1 [r expire k 200 XX]
    assert_range [r ttl k] 199 200
}

test {EXPIRE GT only extends, and never applies to a key without TTL} {
    r flushdb
    r set k v
    assert_equal 0 [r expire k 100 gt]
    assert_equal -1 [r ttl k]
    # Absolute times: two relative EXPIREs issued in different milliseconds
    # would give different deadlines and make "equal" a race.
    set t [expr {[clock seconds] + 100}]
    r expireat k $t
    assert_equal 0 [r expireat k [expr {$t - 50}] gt]
    assert_equal 0 [r expireat k $t gt]
    assert_equal 1 [r expireat k [expr {$t + 100}] gt]
    assert_range [r ttl k] 198 200
}

test {EXPIRE LT only shortens, and applies to a key without TTL} {
    r flushdb
    r set k v
    assert_equal 1 [r expire k 100 lt]
    assert_range [r ttl k] 99 100
    assert_equal 0 [r expire k 200 lt]
    assert_equal 1 [r expire k 50 lt]
    assert_range [r ttl k] 49 50
}

test {EXPIRE XX combined with GT or LT} {
    r flushdb
    r set k v
    assert_equal 0 [r expire k 100 xx gt]
    assert_equal 0 [r expire k 100 xx lt]
    assert_equal -1 [r ttl k]
    r expire k 100
    assert_equal 1 [r expire k 200 xx gt]
    assert_equal 1 [r expire k 50 lt xx]
    assert_range [r ttl k] 49 50
}

test {PEXPIRE, EXPIREAT and PEXPIREAT accept the same options} {
    r flushdb
    r set k v
    assert_equal 0 [r pexpire k 100000 xx]
    assert_equal 1 [r pexpire k 100000 nx]
    set at [expr {[clock seconds] + 1000}]
    assert_equal 1 [r expireat k $at gt]
    assert_equal 0 [r expireat k [expr {$at - 10}] gt]
    assert_equal 1 [r pexpireat k [expr {$at * 1000 - 10}] lt]
    assert_equal [expr {$at * 1000 - 10}] [r pexpiretime k]
}

test {A past time with a failing condition leaves the key alone} {
    r flushdb
    r set k v
    r expire k 100
    assert_equal 0 [r expire k -1 nx]
    assert_equal 0 [r expire k -1 gt]
    assert_equal 1 [r exists k]
    assert_equal 1 [r expire k -1 lt]
    assert_equal 0 [r exists k]
}

test {EXPIRE option errors} {
    r flushdb
    r set k v
    assert_error "ERR NX and XX, GT or LT options at the same time are not compatible" {r expire k 100 nx xx}
    assert_error "ERR NX and XX, GT or LT options at the same time are not compatible" {r expire k 100 nx gt}
    assert_error "ERR NX and XX, GT or LT options at the same time are not compatible" {r pexpire k 100 lt nx}
    assert_error "ERR GT and LT options at the same time are not compatible" {r expire k 100 gt lt}
    assert_error "ERR GT and LT options at the same time are not compatible" {r expireat k 100 xx lt gt}
    assert_error "ERR Unsupported option foo" {r expire k 100 foo}
    assert_error "ERR Unsupported option bar" {r pexpireat k 100 nx bar}
    # Options are checked before the time argument.
    assert_error "ERR NX and XX, GT or LT options at the same time are not compatible" {r expire k abc nx xx}
    assert_equal -1 [r ttl k]
}

test {EXPIRE rejects a non-integer time} {
    r set k v
    assert_error "ERR value is not an integer or out of range" {r expire k abc}
    assert_error "ERR value is not an integer or out of range" {r pexpire k 1.5}
    assert_error "ERR value is not an integer or out of range" {r expireat k ""}
    assert_error "ERR value is not an integer or out of range" {r pexpireat k 99999999999999999999}
    assert_error "ERR value is not an integer or out of range" {r expire nokey abc}
    assert_equal -1 [r ttl k]
}

test {EXPIRE rejects times that overflow} {
    r set k v
    assert_error "ERR invalid expire time in 'expire' command" {r expire k 9223372036854775}
    assert_error "ERR invalid expire time in 'expire' command" {r expire k 9223372036854775807}
    assert_error "ERR invalid expire time in 'expire' command" {r expire k -9223372036854776}
    assert_error "ERR invalid expire time in 'pexpire' command" {r pexpire k 9223372036854775807}
    assert_error "ERR invalid expire time in 'expireat' command" {r expireat k 9223372036854776}
    assert_error "ERR invalid expire time in 'expireat' command" {r expireat k -99999999999999999}
    # Overflow is detected before the key is looked up.
    assert_error "ERR invalid expire time in 'expire' command" {r expire nokey 9223372036854775807}
    assert_equal -1 [r ttl k]
}

test {EXPIRE accepts the largest representable times} {
    r flushdb
    r set k v
    assert_equal 1 [r pexpireat k 9223372036854775807]
    assert_equal 9223372036854775807 [r pexpiretime k]
    assert_equal 1 [r expireat k 9223372036854775]
    assert_equal 9223372036854775000 [r pexpiretime k]
    assert_equal 1 [r expire k 9223372036854]
    assert_equal v [r get k]
    assert_equal 1 [r expire k -9223372036854775]
    assert_equal 0 [r exists k]
}

test {Expire commands arity} {
    assert_error "*wrong number of arguments for 'expire' command*" {r expire k}
    assert_error "*wrong number of arguments for 'pexpireat' command*" {r pexpireat k}
    assert_error "*wrong number of arguments for 'ttl' command*" {r ttl}
    assert_error "*wrong number of arguments for 'ttl' command*" {r ttl a b}
    assert_error "*wrong number of arguments for 'persist' command*" {r persist a b}
    assert_error "*wrong number of arguments for 'expiretime' command*" {r expiretime}
}

test {Lazy expiry: a due key is deleted when it is accessed} {
    r flushdb
    r debug set-active-expire 0
    for {set i 0} {$i < 10} {incr i} {
        r set k$i v
        r pexpire k$i 10
    }
    r set live v
    after 50
    # Nothing has touched them: they are still counted.
    assert_equal 11 [r dbsize]
    assert_equal {} [r get k0]
    assert_equal 10 [r dbsize]
    assert_equal 0 [r exists k1]
    assert_equal -2 [r ttl k2]
    assert_equal none [r type k3]
    assert_equal 0 [r expire k4 100]
    assert_equal 0 [r persist k5]
    assert_equal 5 [r dbsize]
    r debug set-active-expire 1
} {needs:debug}

test {Active expiry removes keys that nobody accesses} {
    r flushdb
    r debug set-active-expire 1
    for {set i 0} {$i < 100} {incr i} {
        r set k$i v
        r pexpire k$i [expr {50 + $i}]
    }
    r set live v
    wait_for_condition 100 50 {[r dbsize] == 1} else {
        fail "active expiry left [r dbsize] keys"
    }
    assert_equal v [r get live]
} {needs:debug}

test {No active expiry while it is disabled} {
    r flushdb
    r debug set-active-expire 0
    r set k v
    r pexpire k 10
    after 300
    assert_equal 1 [r dbsize]
    r debug set-active-expire 1
    wait_for_condition 100 50 {[r dbsize] == 0} else {
        fail "the key was not expired once active expiry was back on"
    }
} {needs:debug}

test {Expiry works in every database independently} {
    r flushall
    r select 9
    r set k v
    r pexpire k 100
    r select 10
    r set k v
    assert_equal -1 [r ttl k]
    r select 9
    assert_range [r pttl k] 1 100
    after 200
    assert_equal 0 [r exists k]
    r select 10
    assert_equal v [r get k]
    r select 9
}

test {Lazy expiry fires an "expired" event, EXPIRE in the past a "del"} {
    r flushall
    r select 9
    r debug set-active-expire 0
    r config set notify-keyspace-events Egx
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@9__:*}
    $c read
    r set a v
    r pexpire a 10
    after 50
    r get a
    r set b v
    r expire b -5
    set got {}
    for {set i 0} {$i < 3} {incr i} {
        lappend got [lrange [$c read] 2 3]
    }
    assert_equal {{__keyevent@9__:expire a} {__keyevent@9__:expired a} {__keyevent@9__:del b}} $got
    $c close
    r config set notify-keyspace-events ""
    r debug set-active-expire 1
} {needs:debug needs:pubsub}

test {Active expiry fires "expired" events} {
    r flushall
    r select 9
    r config set notify-keyspace-events Ex
    set c [redis_deferring_client]
    $c psubscribe {__keyevent@9__:expired}
    $c read
    r set a v
    r pexpire a 10
    assert_equal {__keyevent@9__:expired a} [lrange [$c read] 2 3]
    $c close
    r config set notify-keyspace-events ""
} {needs:pubsub}

test {Changing a TTL counts as a change, a refused one does not} {
    r flushall
    set before [s rdb_changes_since_last_save]
    r set k v
    r expire k 100
    r expire k 100 nx
    r expire nokey 100
    r persist k
    r persist k
    r expire k -1
    assert_equal [expr {$before + 4}] [s rdb_changes_since_last_save]
}

}
