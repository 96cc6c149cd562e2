# pubsubshard.tcl: shard channels (SSUBSCRIBE SUNSUBSCRIBE SPUBLISH, PUBSUB
# SHARDCHANNELS / SHARDNUMSUB) on a standalone server.
#
# Standalone Redis 7.0 keeps shard channels as a namespace of their own:
# SPUBLISH reaches only SSUBSCRIBErs ("smessage"), PUBLISH never does,
# patterns never match shard channels, and the count in (s)(un)subscribe
# confirmations covers shard subscriptions alone.  A client with only shard
# subscriptions is still in RESP2 subscribed mode.

# Sends SSUBSCRIBE/SUNSUBSCRIBE (or another subscription command) on c and
# returns the counts of the n confirmations (default: one per name).
proc shard_cmd {c cmd names {n -1}} {
    if {$n < 0} { set n [llength $names] }
    $c $cmd {*}$names
    set counts {}
    for {set i 0} {$i < $n} {incr i} {
        set reply [$c read]
        assert_equal $cmd [lindex $reply 0]
        lappend counts [lindex $reply 2]
    }
    return $counts
}

start_server {tags {"pubsubshard"}} {

test {SSUBSCRIBE confirms with the shard count, SPUBLISH delivers smessage} {
    set rd1 [redis_deferring_client]
    set rd2 [redis_deferring_client]
    assert_equal {1 2} [shard_cmd $rd1 ssubscribe {s1 s2}]
    assert_equal {1} [shard_cmd $rd2 ssubscribe {s1}]
    assert_equal 2 [r spublish s1 hello]
    assert_equal 1 [r spublish s2 world]
    assert_equal 0 [r spublish s3 none]
    assert_equal {smessage s1 hello} [$rd1 read]
    assert_equal {smessage s2 world} [$rd1 read]
    assert_equal {smessage s1 hello} [$rd2 read]
    $rd1 close
    $rd2 close
}

test {Shard channels and channels of the same name do not mix} {
    set rd [redis_deferring_client]
    shard_cmd $rd ssubscribe {same}
    shard_cmd $rd psubscribe {*}
    # PUBLISH: the pattern matches, the shard subscription does not count.
    assert_equal 1 [r publish same p]
    assert_equal {pmessage * same p} [$rd read]
    # SPUBLISH: only the shard subscriber, never patterns.
    assert_equal 1 [r spublish same s]
    assert_equal {smessage same s} [$rd read]
    assert_equal {same 0} [r pubsub numsub same]
    assert_equal {same 1} [r pubsub shardnumsub same]
    $rd close
}

test {Shard and channel counts are kept apart in confirmations} {
    set rd [redis_deferring_client]
    assert_equal {1} [shard_cmd $rd ssubscribe {s}]
    assert_equal {1 2} [shard_cmd $rd subscribe {a b}]
    assert_equal {3} [shard_cmd $rd psubscribe {p*}]
    assert_equal {2} [shard_cmd $rd ssubscribe {t}]
    assert_equal {1} [shard_cmd $rd sunsubscribe {s}]
    # Not subscribed: confirmed with the unchanged shard count.
    assert_equal {1} [shard_cmd $rd sunsubscribe {nosuch}]
    assert_equal {0} [shard_cmd $rd sunsubscribe {} 1]
    # Nothing left: one reply with a null name.
    $rd sunsubscribe
    assert_equal {sunsubscribe {} 0} [$rd read]
    # The channel subscriptions were not touched.
    assert_equal {2} [shard_cmd $rd unsubscribe {b}]
    $rd close
}

test {SUNSUBSCRIBE with nothing subscribed: raw null name} {
    set c [redis_client]
    $c readraw 1
    assert_equal {*3} [$c sunsubscribe]
    assert_equal {$12} [$c read]
    assert_equal {sunsubscribe} [$c read]
    assert_equal {$-1} [$c read]
    assert_equal {:0} [$c read]
    $c close
}

test {Shard subscriptions alone keep a RESP2 client in subscribed mode} {
    set rd [redis_deferring_client]
    shard_cmd $rd ssubscribe {only}
    $rd get k
    assert_error {ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context} {$rd read}
    # Dropping every plain channel does not leave subscribed mode while a
    # shard channel remains.
    shard_cmd $rd subscribe {plain}
    shard_cmd $rd unsubscribe {plain}
    $rd get k
    assert_error {*Can't execute 'get'*} {$rd read}
    shard_cmd $rd sunsubscribe {only}
    $rd get k
    assert_equal {} [$rd read]
    $rd close
}

test {RESP3 shard pushes} {
    set c [redis_client]
    $c hello 3
    $c readraw 1
    assert_equal {>3} [$c ssubscribe rs]
    assert_equal {$10} [$c read]
    assert_equal {ssubscribe} [$c read]
    $c read ; $c read ; $c read
    r spublish rs v
    assert_equal {>3} [$c read]
    assert_equal {$8} [$c read]
    assert_equal {smessage} [$c read]
    $c close
}

test {PUBSUB SHARDCHANNELS and SHARDNUMSUB} {
    set rd1 [redis_deferring_client]
    set rd2 [redis_deferring_client]
    shard_cmd $rd1 ssubscribe {user:1 user:2 order:9}
    shard_cmd $rd2 ssubscribe {user:1}
    shard_cmd $rd2 subscribe {user:3}
    assert_equal {order:9 user:1 user:2} [lsort [r pubsub shardchannels]]
    assert_equal {user:1 user:2} [lsort [r pubsub shardchannels user:*]]
    assert_equal {} [r pubsub shardchannels nomatch*]
    assert_equal {user:1 2 user:2 1 user:3 0} [r pubsub shardnumsub user:1 user:2 user:3]
    assert_equal {} [r pubsub shardnumsub]
    # Plain channel introspection does not see shard channels.
    assert_equal {user:3} [r pubsub channels]
    assert_error {ERR unknown subcommand or wrong number of arguments for 'shardchannels'. Try PUBSUB HELP.} \
        {r pubsub shardchannels a b}
    $rd1 close
    $rd2 close
    wait_for_condition 50 20 {[r pubsub shardchannels] eq {}} else { fail "shard channels left" }
}

test {CLIENT LIST ssub= and RESET drop shard subscriptions} {
    set rd [redis_deferring_client]
    $rd client setname sharder
    $rd read
    shard_cmd $rd ssubscribe {x y}
    set line [lsearch -inline [split [r client list] "\n"] "*name=sharder*"]
    assert_match {*flags=P *sub=0 psub=0 ssub=2 *} $line
    $rd reset
    assert_equal RESET [$rd read]
    assert_equal {x 0 y 0} [r pubsub shardnumsub x y]
    assert_equal 0 [r spublish x v]
    $rd close
}

test {Disconnecting drops shard subscriptions} {
    set rd [redis_deferring_client]
    shard_cmd $rd ssubscribe {bye}
    assert_equal {bye 1} [r pubsub shardnumsub bye]
    $rd close
    wait_for_condition 50 20 {[r pubsub shardnumsub bye] eq {bye 0}} else {
        fail "shard subscription survived the client"
    }
}

test {SSUBSCRIBE and SPUBLISH argument errors} {
    assert_error {ERR wrong number of arguments for 'ssubscribe' command} {r ssubscribe}
    assert_error {ERR wrong number of arguments for 'spublish' command} {r spublish ch}
}

}
