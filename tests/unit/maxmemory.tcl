# maxmemory.tcl: the memory limit and the eviction policies.
#
# Each policy test fills a database with the limit off, then lowers
# maxmemory under the memory in use (CONFIG SET starts evicting at once, and
# every command evicts before it runs) and checks which keys survived.  The
# LRU clock ticks once per second, so the LRU tests wait two seconds between
# writing the cold keys and touching the hot ones.  The LFU tests use
# lfu-log-factor 0, which makes every access increment the counter, so the
# counters are exact.

# Writes n keys prefix0..prefix(n-1) with values of size bytes (and a TTL of
# ttl seconds, plus i when ttl_step is set, when ttl > 0), pipelined.
proc mm_fill {n prefix size {ttl 0} {ttl_step 0}} {
    set val [string repeat x $size]
    set rd [redis_deferring_client]
    for {set i 0} {$i < $n} {incr i} {
        if {$ttl > 0} {
            $rd set $prefix$i $val ex [expr {$ttl + ($ttl_step ? $i : 0)}]
        } else {
            $rd set $prefix$i $val
        }
    }
    for {set i 0} {$i < $n} {incr i} { $rd read }
    $rd close
}

# Sends cmd n times on a pipelined connection (for GET storms).
proc mm_repeat {n args} {
    set rd [redis_deferring_client]
    for {set i 0} {$i < $n} {incr i} { $rd {*}$args }
    for {set i 0} {$i < $n} {incr i} { $rd read }
    $rd close
}

# Lowers maxmemory so that about `keep` (0..1) of the memory the data uses
# above `base` stays, then waits until the server is under the new limit.
# Returns the limit.
proc mm_shrink_to {base keep} {
    set used [s used_memory]
    set limit [expr {$base + int(($used - $base) * $keep)}]
    r config set maxmemory $limit
    # INFO allocates its own reply after the eviction that ran before it,
    # so allow a few kilobytes above the limit.
    wait_for_condition 200 20 {
        [s used_memory] <= $limit + 16384
    } else {
        fail "used_memory [s used_memory] stays above maxmemory $limit"
    }
    return $limit
}

# The candidate pool outlives a test (as in Redis, scores in it are not
# refreshed), so tests that check which keys survive use key names no
# earlier test used: a stale candidate then names a key that no longer
# exists and is skipped.
#
# Every test starts from an empty server with the limit off, the given
# policy and default tuning, whatever the previous test left behind.
proc mm_reset {{policy noeviction}} {
    r config set maxmemory 0
    r select 0
    r flushall
    r config set maxmemory-policy $policy
    r config set maxmemory-samples 5
    r config set maxmemory-eviction-tenacity 10
    r config set lfu-log-factor 10
    r config set lazyfree-lazy-eviction no
    r config resetstat
}

# Counts the keys prefix$i for i in [from, to) that still exist.
proc mm_count_existing {prefix from to} {
    set rd [redis_deferring_client]
    for {set i $from} {$i < $to} {incr i} { $rd exists $prefix$i }
    set n 0
    for {set i $from} {$i < $to} {incr i} { incr n [$rd read] }
    $rd close
    return $n
}

start_server {tags {"maxmemory"}} {

test {Eviction directives: defaults and bounds} {
    assert_equal {maxmemory 0} [r config get maxmemory]
    assert_equal {maxmemory-policy noeviction} [r config get maxmemory-policy]
    assert_equal {maxmemory-samples 5} [r config get maxmemory-samples]
    assert_equal {maxmemory-eviction-tenacity 10} [r config get maxmemory-eviction-tenacity]
    assert_equal {lfu-log-factor 10} [r config get lfu-log-factor]
    assert_equal {lfu-decay-time 1} [r config get lfu-decay-time]
    assert_error {*maxmemory-eviction-tenacity*between 0 and 100 inclusive*} {
        r config set maxmemory-eviction-tenacity 101
    }
    assert_error {*between 0 and 100*} {r config set maxmemory-eviction-tenacity -1}
    assert_error {*lfu-log-factor*between 0 and 2147483647*} {r config set lfu-log-factor -1}
    assert_error {*lfu-decay-time*between 0 and 2147483647*} {r config set lfu-decay-time -1}
    assert_error {*maxmemory-samples*between 1 and 2147483647*} {r config set maxmemory-samples 0}
    assert_error {*maxmemory*must be a memory value*} {r config set maxmemory -1}
    assert_error {*maxmemory-policy*argument(s) must be one of the following*} {
        r config set maxmemory-policy lru
    }
    foreach p {volatile-lru volatile-lfu volatile-random volatile-ttl allkeys-lru allkeys-lfu
               allkeys-random noeviction} {
        r config set maxmemory-policy $p
        assert_equal [list maxmemory-policy $p] [r config get maxmemory-policy]
    }
    r config set maxmemory 10mb
    assert_equal {maxmemory 10485760} [r config get maxmemory]
    r config set maxmemory-eviction-tenacity 50
    assert_equal {maxmemory-eviction-tenacity 50} [r config get maxmemory-eviction-tenacity]
    r config set maxmemory-eviction-tenacity 10
    r config set maxmemory 0
}

test {INFO memory shows the limit and the policy} {
    r config set maxmemory 100mb
    r config set maxmemory-policy allkeys-lru
    set info [r info memory]
    assert_match "*maxmemory:104857600\r\n*" $info
    assert_match "*maxmemory_human:100.00M\r\n*" $info
    assert_match "*maxmemory_policy:allkeys-lru\r\n*" $info
    assert_match "*mem_not_counted_for_evict:0\r\n*" $info
    r config set maxmemory 0
    r config set maxmemory-policy noeviction
}

test {noeviction: write commands get -OOM, reads and deletes still work} {
    mm_reset noeviction
    mm_fill 100 k: 1000
    set used [s used_memory]
    # Lower the limit under what is in use: nothing may be evicted.
    r config set maxmemory [expr {$used - 50000}]
    assert_error {OOM command not allowed when used memory > 'maxmemory'.} {r set foo bar}
    assert_error {OOM *} {r incr counter}
    assert_error {OOM *} {r append k:1 more}
    assert_error {OOM *} {r sadd s a}
    assert_error {OOM *} {r hset h f v}
    assert_equal [string repeat x 1000] [r get k:1]
    assert_equal 1 [r exists k:2]
    assert_equal 100 [r dbsize]
    assert_equal 1 [r del k:3]
    assert_equal 0 [r exists k:3]
    # Commands that may not grow memory are not denyoom.
    assert_equal 1 [r expire k:4 100]
    assert_equal OK [r rename k:5 k:5b]
    assert_equal 0 [s evicted_keys]
    assert_match {*errorstat_OOM:count=5*} [r info errorstats]
    assert_match {*cmdstat_set:*rejected_calls=1,*} [r info commandstats]
    r config set maxmemory 0
    assert_equal OK [r set foo bar]
}

test {Under the limit nothing is evicted and nothing is refused} {
    mm_reset allkeys-lru
    r config set maxmemory 100mb
    mm_fill 1000 k: 100
    assert_equal 1000 [r dbsize]
    assert_equal 0 [s evicted_keys]
    r config set maxmemory 0
}

foreach policy {allkeys-lru allkeys-lfu allkeys-random} {
    test "$policy: memory stays under maxmemory while writing" {
        mm_reset $policy
        set base [s used_memory]
        set limit [expr {$base + 300000}]
        r config set maxmemory $limit
        mm_fill 3000 k: 500
        assert_morethan [s evicted_keys] 0
        assert_lessthan [r dbsize] 3000
        assert_morethan [r dbsize] 100
        # The last write evicted before it ran, so the excess is at most
        # one key and the connection's buffers.
        assert_lessthan [s used_memory] [expr {$limit + 20000}]
        r config set maxmemory 0
    }
}

test {allkeys-lru keeps the recently accessed keys} {
    mm_reset allkeys-lru
    r config set maxmemory-samples 10
    set base [s used_memory]
    mm_fill 2000 lru: 1000
    after 2100
    # Touch one key in ten: they become the most recently used.
    set rd [redis_deferring_client]
    for {set i 0} {$i < 2000} {incr i 10} { $rd get lru:$i }
    for {set i 0} {$i < 2000} {incr i 10} { $rd read }
    $rd close
    mm_shrink_to $base 0.5
    set evicted [s evicted_keys]
    assert_morethan $evicted 700
    for {set i 0} {$i < 2000} {incr i 10} {
        assert_equal 1 [r exists lru:$i] "hot key lru:$i was evicted"
    }
    r config set maxmemory 0
    r config set maxmemory-samples 5
}

test {allkeys-lru: writes count as accesses too} {
    mm_reset allkeys-lru
    r config set maxmemory-samples 10
    set base [s used_memory]
    mm_fill 2000 lruw: 1000
    after 2100
    for {set i 0} {$i < 2000} {incr i 10} { r setrange lruw:$i 0 y }
    mm_shrink_to $base 0.5
    for {set i 0} {$i < 2000} {incr i 10} {
        assert_equal 1 [r exists lruw:$i] "rewritten key lruw:$i was evicted"
    }
    r config set maxmemory 0
    r config set maxmemory-samples 5
}

test {OBJECT IDLETIME follows accesses under LRU} {
    mm_reset allkeys-lru
    # Not integers: Redis would share one object for both keys.
    r set a value-a
    r set b value-b
    after 2100
    r get a
    assert_range [r object idletime a] 0 1
    assert_range [r object idletime b] 2 4
    # OBJECT itself is not an access.
    assert_range [r object idletime b] 2 4
    assert_error {*An LFU maxmemory policy is not selected*} {r object freq a}
}

test {LFU: new keys start at 5 and every access counts with lfu-log-factor 0} {
    mm_reset allkeys-lfu
    r config set lfu-log-factor 0
    r set k v
    assert_equal 5 [r object freq k]
    r get k
    assert_equal 6 [r object freq k]
    mm_repeat 100 get k
    assert_equal 106 [r object freq k]
    # Overwriting keeps the key's history (and counts as an access).
    r set k v2
    assert_equal 107 [r object freq k]
    # The counter saturates at 255.
    mm_repeat 300 get k
    assert_equal 255 [r object freq k]
    # OBJECT FREQ does not count; IDLETIME is refused under LFU.
    assert_equal 255 [r object freq k]
    assert_error {*An LFU maxmemory policy is selected, idle time not tracked*} {r object idletime k}
    r config set lfu-log-factor 10
}

test {LFU: the counter grows logarithmically with the default lfu-log-factor} {
    mm_reset allkeys-lfu
    r config set lfu-log-factor 10
    r set k v
    mm_repeat 1000 get k
    set f [r object freq k]
    # 1000 hits give about 5 + 13 with factor 10; the bounds are generous
    # because the increments are random.
    assert_range $f 10 30
    set rd [redis_deferring_client]
    for {set i 0} {$i < 10000} {incr i} { $rd get k }
    for {set i 0} {$i < 10000} {incr i} { $rd read }
    $rd close
    set g [r object freq k]
    assert_morethan $g $f
    assert_lessthan $g 60
}

test {allkeys-lfu keeps the frequently accessed keys} {
    mm_reset allkeys-lfu
    r config set lfu-log-factor 0
    r config set maxmemory-samples 10
    set base [s used_memory]
    mm_fill 2000 lfu: 1000
    set rd [redis_deferring_client]
    for {set round 0} {$round < 5} {incr round} {
        for {set i 0} {$i < 2000} {incr i 10} { $rd get lfu:$i }
    }
    for {set round 0} {$round < 5} {incr round} {
        for {set i 0} {$i < 2000} {incr i 10} { $rd read }
    }
    $rd close
    assert_equal 10 [r object freq lfu:0]
    mm_shrink_to $base 0.5
    assert_morethan [s evicted_keys] 700
    for {set i 0} {$i < 2000} {incr i 10} {
        assert_equal 1 [r exists lfu:$i] "frequent key lfu:$i was evicted"
    }
    r config set maxmemory 0
    r config set maxmemory-samples 5
    r config set lfu-log-factor 10
}

foreach policy {volatile-lru volatile-lfu volatile-random volatile-ttl} {
    test "$policy evicts only keys with a TTL" {
        mm_reset $policy
        set base [s used_memory]
        mm_fill 1000 p-$policy: 1000
        mm_fill 1000 v-$policy: 1000 10000
        mm_shrink_to $base 0.7
        assert_morethan [s evicted_keys] 300
        assert_equal 1000 [mm_count_existing p-$policy: 0 1000]
        assert_lessthan [mm_count_existing v-$policy: 0 1000] 700
        r config set maxmemory 0
    }

    test "$policy with no volatile keys left: -OOM" {
        mm_reset $policy
        mm_fill 200 p: 1000
        r config set maxmemory [expr {[s used_memory] - 50000}]
        assert_error {OOM command not allowed when used memory > 'maxmemory'.} {r set foo bar}
        assert_equal 200 [r dbsize]
        assert_equal 0 [s evicted_keys]
        r config set maxmemory 0
    }
}

test {volatile-ttl evicts the keys closest to expiring first} {
    mm_reset volatile-ttl
    r config set maxmemory-samples 10
    set base [s used_memory]
    # ttl:i expires in 10000 + i seconds.
    mm_fill 1000 ttl: 1000 10000 1
    mm_shrink_to $base 0.7
    set left [mm_count_existing ttl: 0 1000]
    assert_lessthan $left 750
    # Sampling makes the order approximate: a few keys expiring early
    # survive, but none of the half that expires last is evicted.
    assert_equal 500 [mm_count_existing ttl: 500 1000]
    assert_lessthan [mm_count_existing ttl: 0 200] 20
    r config set maxmemory 0
    r config set maxmemory-samples 5
}

test {Evictions are counted in INFO stats evicted_keys and reset by CONFIG RESETSTAT} {
    mm_reset allkeys-random
    set base [s used_memory]
    mm_fill 500 k: 1000
    mm_shrink_to $base 0.5
    set evicted [s evicted_keys]
    assert_equal [expr {500 - [r dbsize]}] $evicted
    r config resetstat
    assert_equal 0 [s evicted_keys]
    r config set maxmemory 0
}

test {Eviction spans every database} {
    mm_reset allkeys-lru
    set base [s used_memory]
    r select 9
    set val [string repeat x 1000]
    for {set i 0} {$i < 500} {incr i} { r set k:$i $val }
    r select 0
    mm_fill 500 k: 1000
    mm_shrink_to $base 0.4
    # Read both sizes and the counter in one transaction: eviction may still
    # be going on from its timer once used_memory is near the limit.
    r multi
    r dbsize
    r select 9
    r dbsize
    r select 0
    r info stats
    lassign [r exec] left0 - left9 - stats
    regexp {evicted_keys:(\d+)} $stats -> evicted
    assert_lessthan $left0 500
    assert_lessthan $left9 500
    assert_equal $evicted [expr {1000 - $left0 - $left9}]
    r flushall
    r config set maxmemory 0
}

test {Lowering maxmemory evicts without any further command (tenacity 0 defers to a timer)} {
    mm_reset allkeys-random
    # Tenacity 0: each call evicts a handful of keys, then the rest is done
    # by the timer between events.
    r config set maxmemory-eviction-tenacity 0
    set base [s used_memory]
    mm_fill 5000 k: 200
    set used [s used_memory]
    set limit [expr {$base + ($used - $base) / 4}]
    r config set maxmemory $limit
    # Only INFO from here on (itself not denyoom): the timer does the work.
    wait_for_condition 200 20 {
        [s used_memory] <= $limit + 16384
    } else {
        fail "the eviction timer did not bring memory under the limit"
    }
    assert_morethan [s evicted_keys] 3000
    r config set maxmemory-eviction-tenacity 10
    r config set maxmemory 0
}

test {Tenacity 100: one command evicts all the way under the limit} {
    mm_reset allkeys-random
    r config set maxmemory-eviction-tenacity 100
    set base [s used_memory]
    mm_fill 5000 k: 200
    set limit [expr {$base + ([s used_memory] - $base) / 4}]
    r config set maxmemory $limit
    r ping
    assert_lessthan_equal [s used_memory] [expr {$limit + 16384}]
    r config set maxmemory-eviction-tenacity 10
    r config set maxmemory 0
}

test {lazyfree-lazy-eviction: big values are evicted and the limit is kept} {
    mm_reset allkeys-lru
    r config set lazyfree-lazy-eviction yes
    set base [s used_memory]
    for {set i 0} {$i < 20} {incr i} {
        for {set j 0} {$j < 1000} {incr j} { lappend members m$j }
        r sadd set:$i {*}$members
        unset members
    }
    mm_shrink_to $base 0.5
    assert_morethan [s evicted_keys] 5
    r config set lazyfree-lazy-eviction no
    r config set maxmemory 0
}

test {Evicted keys fire the "evicted" keyspace event} {
    mm_reset allkeys-random
    r config set notify-keyspace-events Ee
    set rd [redis_deferring_client]
    $rd subscribe __keyevent@0__:evicted
    assert_equal {subscribe __keyevent@0__:evicted 1} [$rd read]
    set base [s used_memory]
    mm_fill 100 k: 1000
    r config set maxmemory [expr {[s used_memory] - 20000}]
    r ping
    set msg [$rd read]
    assert_equal message [lindex $msg 0]
    assert_equal __keyevent@0__:evicted [lindex $msg 1]
    assert_match k:* [lindex $msg 2]
    assert_equal 0 [r exists [lindex $msg 2]]
    $rd close
    r config set notify-keyspace-events ""
    r config set maxmemory 0
} {needs:pubsub}

test {An evicted WATCHed key makes EXEC fail} {
    mm_reset allkeys-lru
    r set big [string repeat x 100000]
    r watch big
    # The only key: it is the one evicted.  The margin (50 KB of a 100 KB
    # value) is larger than the transient allocations of INFO itself, which
    # used_memory includes at the moment it is read.  ringkv-only: Redis
    # counts more memory as not evictable here and refuses MULTI with OOM
    # instead, so the same numbers do not drive both servers to this case.
    r config set maxmemory [expr {[s used_memory] - 50000}]
    r multi
    r ping
    assert_equal {} [r exec]
    assert_equal 0 [r exists big]
    assert_equal 1 [s evicted_keys]
    r config set maxmemory 0
} {needs:multi ringkv-only}

test {Inside MULTI every command but EXEC/DISCARD is refused when out of memory} {
    mm_reset noeviction
    mm_fill 100 k: 1000
    set admin [redis_client]
    set limit [expr {[s used_memory] - 50000}]
    r multi
    $admin config set maxmemory $limit
    assert_error {OOM *} {r get k:1}
    assert_error {EXECABORT *} {r exec}
    r multi
    assert_error {OOM *} {r ping}
    assert_equal OK [r discard]
    # A transaction queued before memory ran out: EXEC runs it if it only
    # reads, and refuses it whole if it holds a denyoom command.
    $admin config set maxmemory 0
    r multi
    r get k:1
    $admin config set maxmemory $limit
    assert_equal [list [string repeat x 1000]] [r exec]
    $admin config set maxmemory 0
    r multi
    r set foo bar
    $admin config set maxmemory $limit
    assert_error {EXECABORT Transaction discarded because of: OOM command not allowed when used memory > 'maxmemory'.} {r exec}
    assert_equal 0 [r exists foo]
    $admin config set maxmemory 0
    $admin close
} {needs:multi}

}
