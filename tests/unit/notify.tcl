# notify.tcl: keyspace notifications (notify-keyspace-events).
#
# Covers the directive (class letters accepted with K and E, CONFIG GET's
# canonical spelling, start-up from the config file), the two channel
# families (__keyspace@<db>__:<key> -> event, __keyevent@<db>__:<event> ->
# key) and their order, class filtering (a class that is off publishes
# nothing), the classes outside "A" (n: new keys, m: key misses), expired and
# evicted events, the database number in channel names, binary keys, and
# RESP3 delivery.  Each type's own events are tested with the type (tests
# tagged needs:pubsub in type/*.tcl, keyspace.tcl, expire.tcl).
#
# "Nothing was published" is checked with a marker: a PUBLISH on a channel
# the subscriber's pattern also matches must be the very next message.

# Reads n messages from a pattern subscriber and returns {channel payload}
# pairs.
proc notify_read {c n} {
    set out {}
    for {set i 0} {$i < $n} {incr i} {
        set m [$c read]
        assert_equal pmessage [lindex $m 0]
        lappend out [lrange $m 2 3]
    }
    return $out
}

# A deferring client subscribed to every channel.
proc notify_listener {} {
    set c [redis_deferring_client]
    $c psubscribe *
    $c read
    return $c
}

# Publishes a marker and asserts it is the next thing c receives.
proc notify_assert_quiet {c} {
    r publish marker end
    assert_equal {marker end} [lindex [notify_read $c 1] 0]
}

start_server {tags {"notify"}} {

test {notify-keyspace-events: K and E accepted, CONFIG GET in canonical order} {
    foreach {set get} {
        KEA AKE
        AKE AKE
        EKA AKE
        KEAnm AKEm
        Kx xK
        Eg$ g$E
        mK Km
        nE nE
        K K
        E E
        {} {}
        {g$lshzxetd} A
    } {
        r config set notify-keyspace-events $set
        assert_equal [list notify-keyspace-events $get] [r config get notify-keyspace-events] "set $set"
    }
    assert_error {ERR CONFIG SET failed (possibly related to argument 'notify-keyspace-events') - Invalid event class character. Use 'Ag$lshzxeKEtmdn'.} \
        {r config set notify-keyspace-events KEQ}
    # A refused value leaves the previous one.
    assert_equal {notify-keyspace-events A} [r config get notify-keyspace-events]
    r config set notify-keyspace-events ""
}

test {Keyspace and keyevent channels, keyspace first} {
    r flushall
    r config set notify-keyspace-events KE$
    set c [notify_listener]
    r set foo bar
    assert_equal {{__keyspace@0__:foo set} {__keyevent@0__:set foo}} [notify_read $c 2]
    $c close
    r config set notify-keyspace-events ""
}

test {K alone publishes only keyspace channels, E alone only keyevent} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events K$
    r set a 1
    assert_equal {{__keyspace@0__:a set}} [notify_read $c 1]
    notify_assert_quiet $c
    r config set notify-keyspace-events E$
    r set a 2
    assert_equal {{__keyevent@0__:set a}} [notify_read $c 1]
    notify_assert_quiet $c
    $c close
    r config set notify-keyspace-events ""
}

test {A class that is off publishes nothing} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events KEg
    r set a 1                     ;# string class: off
    r append a 2
    r del a                       ;# generic: on
    assert_equal {{__keyspace@0__:a del} {__keyevent@0__:del a}} [notify_read $c 2]
    notify_assert_quiet $c
    # Classes without K or E publish nothing at all.
    r config set notify-keyspace-events A
    r set b 1
    r del b
    notify_assert_quiet $c
    $c close
    r config set notify-keyspace-events ""
}

test {No events at all by default} {
    r flushall
    assert_equal {notify-keyspace-events {}} [r config get notify-keyspace-events]
    set c [notify_listener]
    r set a 1
    r get a
    r get nokey
    r del a
    notify_assert_quiet $c
    $c close
}

test {"new" fires before the command's own event, only for new keys, and only with n} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events En$
    r set k 1
    assert_equal {{__keyevent@0__:new k} {__keyevent@0__:set k}} [notify_read $c 2]
    r set k 2
    assert_equal {{__keyevent@0__:set k}} [notify_read $c 1]
    # "A" does not include n.
    r config set notify-keyspace-events EA
    r set k2 1
    assert_equal {{__keyevent@0__:set k2}} [notify_read $c 1]
    $c close
    r config set notify-keyspace-events ""
}

test {"keymiss" fires on a read of a missing key, only with m} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events KEm
    r set here 1
    r get here
    r get missing
    assert_equal {{__keyspace@0__:missing keymiss} {__keyevent@0__:keymiss missing}} [notify_read $c 2]
    r config set notify-keyspace-events KEA
    r get missing
    notify_assert_quiet $c
    $c close
    r config set notify-keyspace-events ""
}

test {"expired" fires when an expired key is found} {
    r flushall
    r debug set-active-expire 0
    set c [notify_listener]
    r config set notify-keyspace-events Ex
    r set short 1 px 1
    after 20
    assert_equal 0 [r exists short]
    assert_equal {{__keyevent@0__:expired short}} [notify_read $c 1]
    notify_assert_quiet $c
    $c close
    r debug set-active-expire 1
    r config set notify-keyspace-events ""
} {needs:debug}

test {"expired" fires from active expiry too} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events Ex
    r set gone 1 px 1
    assert_equal {{__keyevent@0__:expired gone}} [notify_read $c 1]
    $c close
    r config set notify-keyspace-events ""
}

test {The database number is in the channel name} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events KE$
    r select 5
    r set inner 1
    r select 0
    assert_equal {{__keyspace@5__:inner set} {__keyevent@5__:set inner}} [notify_read $c 2]
    $c close
    r config set notify-keyspace-events ""
}

test {Subscribing to one key's keyspace channel} {
    r flushall
    r config set notify-keyspace-events KA
    set c [redis_deferring_client]
    $c subscribe __keyspace@0__:watched
    $c read
    r set other 1
    r set watched 1
    r incr watched
    r expire watched 100
    r del watched
    assert_equal {message __keyspace@0__:watched set} [$c read]
    assert_equal {message __keyspace@0__:watched incrby} [$c read]
    assert_equal {message __keyspace@0__:watched expire} [$c read]
    assert_equal {message __keyspace@0__:watched del} [$c read]
    $c close
    r config set notify-keyspace-events ""
}

test {Binary keys are published as they are} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events KE$
    set key "a\x00b\r\nc"
    r set $key v
    assert_equal [list [list "__keyspace@0__:$key" set] [list __keyevent@0__:set $key]] [notify_read $c 2]
    $c close
    r config set notify-keyspace-events ""
}

test {Long keys are published whole} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events KE$
    set key [string repeat k 1000]
    r set $key v
    assert_equal [list [list "__keyspace@0__:$key" set] [list __keyevent@0__:set $key]] [notify_read $c 2]
    $c close
    r config set notify-keyspace-events ""
}

test {Integer-looking keys} {
    r flushall
    set c [notify_listener]
    r config set notify-keyspace-events E$
    r set 12345 v
    r incr 12345x
    assert_equal {{__keyevent@0__:set 12345} {__keyevent@0__:incrby 12345x}} [notify_read $c 2]
    $c close
    r config set notify-keyspace-events ""
}

test {RESP3: a client sees its own command's events as pushes before the reply} {
    r flushall
    r config set notify-keyspace-events E$
    set c [redis_client]
    $c hello 3
    $c psubscribe {__keyevent@0__:*}
    $c readraw 1
    assert_equal {>4} [$c set mine 1]
    assert_equal {$8} [$c read]
    assert_equal {pmessage} [$c read]
    $c read ; $c read ; $c read ; $c read
    assert_equal {$4} [$c read]
    assert_equal {mine} [$c read]
    assert_equal {+OK} [$c read]
    $c close
    r config set notify-keyspace-events ""
}

test {PUBLISH's receiver count includes keyspace subscribers} {
    r config set notify-keyspace-events KE$
    set c [notify_listener]
    assert_equal 1 [r publish __keyspace@0__:foo fake]
    assert_equal {{__keyspace@0__:foo fake}} [notify_read $c 1]
    $c close
    r config set notify-keyspace-events ""
}

}

start_server {tags {"notify"} overrides {notify-keyspace-events KEA}} {
    test {notify-keyspace-events in the config file} {
        assert_equal {notify-keyspace-events AKE} [r config get notify-keyspace-events]
        set c [notify_listener]
        r set f 1
        assert_equal {{__keyspace@0__:f set} {__keyevent@0__:set f}} [notify_read $c 2]
        $c close
    }

    test {"evicted" fires for each key eviction removes} {
        r flushall
        r config set notify-keyspace-events Ee
        set c [redis_deferring_client]
        $c subscribe __keyevent@0__:evicted
        $c read
        r config set maxmemory-policy allkeys-random
        for {set i 0} {$i < 2000} {incr i} { r set key:$i [string repeat x 200] }
        set used [s used_memory]
        r config set maxmemory [expr {$used - 200000}]
        r set trigger 1
        # Every command may evict until the limit is lifted.
        r config set maxmemory 0
        set evicted [s evicted_keys]
        assert_morethan $evicted 0
        for {set i 0} {$i < $evicted} {incr i} {
            lassign [$c read] kind channel key
            assert_equal 0 [r exists $key] "$key was reported evicted"
        }
        r publish __keyevent@0__:evicted marker
        assert_equal {message __keyevent@0__:evicted marker} [$c read]
        $c close
        r config set maxmemory-policy noeviction
    }
}

# --- Differences found by the differential test (tests/support/difftest.tcl,
# --- issue 5) against Redis 7.0, kept here as regressions.
start_server {tags {"notify"}} {
    # Sends one command on a deferring RESP3 client subscribed to its own
    # keyevent channels and returns, in arrival order, the event names it
    # received and "reply" where the command's reply came.
    proc notify_resp3_order {c args} {
        $c {*}$args
        $c ping
        set out {}
        while {1} {
            set m [$c read]
            if {$m eq "PONG"} { return $out }
            if {[lindex $m 0] eq "pmessage"} {
                lappend out [lindex [split [lindex $m 2] :] end]
            } else {
                lappend out reply
            }
        }
    }

    test {RENAME and MOVE fire "new" for the destination before their own events} {
        r flushall
        r config set notify-keyspace-events Egn
        set c [notify_listener]
        r set a 1
        r set b 2
        r rename a b
        r move b 1
        set want [list {__keyevent@0__:new a} {__keyevent@0__:new b} \
                      {__keyevent@0__:new b} {__keyevent@0__:rename_from a} {__keyevent@0__:rename_to b} \
                      {__keyevent@1__:new b} {__keyevent@0__:move_from b} {__keyevent@1__:move_to b}]
        assert_equal $want [notify_read $c 8]
        notify_assert_quiet $c
        $c close
        r config set notify-keyspace-events ""
    }

    test {BITFIELD fires "setbit" only when a field changed or the string grew} {
        r flushall
        r config set notify-keyspace-events {E$n}
        set c [notify_listener]
        r set s x                                  ;# 0x78
        r bitfield s SET i1 1 1                    ;# that bit is already 1
        r bitfield s INCRBY u8 0 0
        r bitfield s SET u8 0 120                  ;# 'x' again
        assert_equal {{}} [r bitfield nb OVERFLOW FAIL SET i8 0 200]
        assert_equal 1 [r strlen nb]               ;# created all the same
        r bitfield s SET u8 0 121
        set want [list {__keyevent@0__:new s} {__keyevent@0__:set s} {__keyevent@0__:new nb} \
                      {__keyevent@0__:setbit s}]
        assert_equal $want [notify_read $c 4]
        notify_assert_quiet $c
        $c close
        r config set notify-keyspace-events ""
    }

    test {RESP3: events and the reply of one's own command arrive in Redis's order} {
        r flushall
        r config set notify-keyspace-events EAn
        set c [redis_deferring_client]
        $c hello 3
        $c read
        $c psubscribe __keyevent@*
        $c read
        # Created before the reply, changed after it.
        assert_equal {new reply zadd} [notify_resp3_order $c zadd z 1 a]
        assert_equal {reply zincr} [notify_resp3_order $c zincrby z 1 a]
        assert_equal {new reply setbit} [notify_resp3_order $c bitfield bf SET u8 0 1]
        # Everything before the reply.
        assert_equal {new incrbyfloat reply} [notify_resp3_order $c incrbyfloat f 1.5]
        assert_equal {incrbyfloat reply} [notify_resp3_order $c incrbyfloat f 1]
        # EXPIRE replies first; a time in the past deletes before replying.
        assert_equal {reply expire} [notify_resp3_order $c expire z 1000]
        assert_equal {reply expire} [notify_resp3_order $c pexpireat z 99999999999999]
        assert_equal {del reply} [notify_resp3_order $c expire z -1]
        $c close
        r config set notify-keyspace-events ""
    }

    test {A refused CONFIG SET restores the canonical string, which drops n next to A} {
        # Redis writes the previous value back from its CONFIG GET spelling,
        # and "A" hides "n" there.
        r flushall
        r config set notify-keyspace-events KEAn
        assert_equal {notify-keyspace-events AKE} [r config get notify-keyspace-events]
        catch {r config set notify-keyspace-events KEAQ}
        set c [notify_listener]
        r set fresh 1
        assert_equal {{__keyspace@0__:fresh set} {__keyevent@0__:set fresh}} [notify_read $c 2]
        notify_assert_quiet $c
        $c close
        r config set notify-keyspace-events ""
    }
}
