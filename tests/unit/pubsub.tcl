# pubsub.tcl: channels and patterns (SUBSCRIBE UNSUBSCRIBE PSUBSCRIBE
# PUNSUBSCRIBE PUBLISH PUBSUB) and the rules of subscribed mode.
#
# Covers the confirmation replies and their counts (channels and patterns
# counted together), delivery and PUBLISH's receiver count, pattern
# matching, UNSUBSCRIBE without arguments (including the null-channel reply
# when nothing is subscribed), the RESP2 subscribed-mode command filter and
# its error text, PING in subscribed mode, RESP3 pushes (raw '>' frames) and
# RESP3 subscribers running ordinary commands, PUBSUB introspection,
# subscriptions dropped by RESET and by disconnecting, CLIENT LIST fields,
# CLIENT REPLY OFF (messages still arrive), binary-safe names, and the
# pubsub class of client-output-buffer-limit.
#
# Shard channels are in pubsubshard.tcl, keyspace notifications in
# notify.tcl.

# Sends a (P)SUBSCRIBE/(P)UNSUBSCRIBE with the given names on client c and
# returns the counts of the n confirmations it reads (n defaults to the
# number of names).
proc pubsub_cmd {c cmd names {n -1}} {
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

start_server {tags {"pubsub"}} {

test {SUBSCRIBE confirms each channel with the running count} {
    set rd [redis_deferring_client]
    $rd subscribe chan1 chan2 chan3
    assert_equal {subscribe chan1 1} [$rd read]
    assert_equal {subscribe chan2 2} [$rd read]
    assert_equal {subscribe chan3 3} [$rd read]
    $rd close
}

test {PUBLISH delivers to subscribers and returns the number of receivers} {
    set rd1 [redis_deferring_client]
    set rd2 [redis_deferring_client]
    assert_equal {1 2} [pubsub_cmd $rd1 subscribe {news sport}]
    assert_equal {1} [pubsub_cmd $rd2 subscribe {news}]
    assert_equal 2 [r publish news hello]
    assert_equal 1 [r publish sport goal]
    assert_equal 0 [r publish weather rain]
    assert_equal {message news hello} [$rd1 read]
    assert_equal {message sport goal} [$rd1 read]
    assert_equal {message news hello} [$rd2 read]
    $rd1 close
    $rd2 close
}

test {Messages arrive in publishing order} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {a b}
    for {set i 0} {$i < 50} {incr i} {
        r publish [expr {$i % 2 ? "a" : "b"}] $i
    }
    for {set i 0} {$i < 50} {incr i} {
        assert_equal [list message [expr {$i % 2 ? "a" : "b"}] $i] [$rd read]
    }
    $rd close
}

test {Subscribing twice to a channel counts once and delivers once} {
    set rd [redis_deferring_client]
    assert_equal {1 1} [pubsub_cmd $rd subscribe {dup dup}]
    assert_equal 1 [r publish dup x]
    assert_equal {dup 1} [r pubsub numsub dup]
    r publish dup marker
    assert_equal {message dup x} [$rd read]
    assert_equal {message dup marker} [$rd read]
    $rd close
}

test {UNSUBSCRIBE of given channels, of channels never subscribed, and of all} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {c1 c2 c3}
    assert_equal {2} [pubsub_cmd $rd unsubscribe {c2}]
    # Not subscribed: confirmed anyway, with the unchanged count.
    assert_equal {2} [pubsub_cmd $rd unsubscribe {nosuch}]
    assert_equal 0 [r publish c2 x]
    # No argument: every remaining channel, in some order, counting down.
    $rd unsubscribe
    set names {}
    set counts {}
    foreach _ {1 2} {
        lassign [$rd read] kind name count
        assert_equal unsubscribe $kind
        lappend names $name
        lappend counts $count
    }
    assert_equal {c1 c3} [lsort $names]
    assert_equal {1 0} $counts
    assert_equal 0 [r publish c1 x]
    $rd close
}

test {UNSUBSCRIBE and PUNSUBSCRIBE with nothing subscribed reply with a null name} {
    set c [redis_client]
    $c readraw 1
    assert_equal {*3} [$c unsubscribe]
    assert_equal {$11} [$c read]
    assert_equal {unsubscribe} [$c read]
    assert_equal {$-1} [$c read]
    assert_equal {:0} [$c read]
    assert_equal {*3} [$c punsubscribe]
    assert_equal {$12} [$c read]
    assert_equal {punsubscribe} [$c read]
    assert_equal {$-1} [$c read]
    assert_equal {:0} [$c read]
    # Not subscribed, so ordinary commands still work.
    assert_equal {+PONG} [$c ping]
    $c close
}

test {Confirmation counts add channels and patterns together} {
    set rd [redis_deferring_client]
    assert_equal {1 2} [pubsub_cmd $rd subscribe {x y}]
    assert_equal {3 4} [pubsub_cmd $rd psubscribe {p* q*}]
    assert_equal {3} [pubsub_cmd $rd unsubscribe {x}]
    # UNSUBSCRIBE with no channel left replies once, null name, and the
    # patterns still count.
    assert_equal {2} [pubsub_cmd $rd unsubscribe {y}]
    $rd unsubscribe
    assert_equal {unsubscribe {} 2} [$rd read]
    assert_equal {1 0} [pubsub_cmd $rd punsubscribe {p* q*}]
    $rd close
}

test {PSUBSCRIBE delivers pmessage with the pattern, and PUBLISH counts each match} {
    set rd [redis_deferring_client]
    assert_equal {1 2} [pubsub_cmd $rd psubscribe {foo.* *.bar}]
    assert_equal 1 [r publish foo.x one]
    assert_equal 2 [r publish foo.bar two]
    assert_equal 0 [r publish other three]
    assert_equal {pmessage foo.* foo.x one} [$rd read]
    # Both patterns match: one pmessage each (their order is unspecified).
    set got [list [$rd read] [$rd read]]
    assert_equal [lsort [list {pmessage foo.* foo.bar two} {pmessage *.bar foo.bar two}]] [lsort $got]
    $rd close
}

test {A channel subscriber that also matches a pattern gets message then pmessage} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {orders}
    pubsub_cmd $rd psubscribe {ord*}
    assert_equal 2 [r publish orders 42]
    assert_equal {message orders 42} [$rd read]
    assert_equal {pmessage ord* orders 42} [$rd read]
    $rd close
}

test {Pattern syntax: ? [set] [^set] ranges and escapes} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd psubscribe {h?llo {h[ae]llo} {h[^e]llo} {n[0-9]} {lit\*}}
    assert_equal 3 [r publish hallo 1]   ;# h?llo h[ae]llo h[^e]llo
    assert_equal 2 [r publish hello 2]   ;# h?llo h[ae]llo
    assert_equal 2 [r publish hxllo 3]   ;# h?llo h[^e]llo
    assert_equal 1 [r publish n7 4]
    assert_equal 0 [r publish na 5]
    assert_equal 1 [r publish {lit*} 6]
    assert_equal 0 [r publish litx 7]
    # 8 messages, in channel order.
    set got {}
    for {set i 0} {$i < 8} {incr i} { lappend got [lrange [$rd read] 2 3] }
    assert_equal {{hallo 1} {hallo 1} {hallo 1} {hello 2} {hello 2} {hxllo 3} {hxllo 3} {n7 4}} $got
    assert_equal 1 [r publish {lit*} marker]
    assert_equal [list pmessage {lit\*} {lit*} 6] [$rd read]
    $rd close
}

test {PUNSUBSCRIBE of a pattern stops its messages} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd psubscribe {a* b*}
    assert_equal {1} [pubsub_cmd $rd punsubscribe {a*}]
    assert_equal 0 [r publish apple 1]
    assert_equal 1 [r publish banana 2]
    assert_equal {pmessage b* banana 2} [$rd read]
    assert_equal {0} [pubsub_cmd $rd punsubscribe {} 1]
    assert_equal 0 [r publish banana 3]
    $rd close
}

test {Channels and patterns are separate namespaces} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd psubscribe {same}
    # UNSUBSCRIBE does not touch a pattern of the same name.
    assert_equal {1} [pubsub_cmd $rd unsubscribe {same}]
    assert_equal 1 [r publish same x]
    assert_equal {pmessage same same x} [$rd read]
    assert_equal 0 [lindex [r pubsub numsub same] 1]
    $rd close
}

test {RESP2 subscribed mode refuses other commands with Redis's error} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {ch}
    $rd get foo
    assert_error {ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context} {$rd read}
    # Subcommands are named container|sub.
    $rd config get maxmemory
    assert_error {ERR Can't execute 'config|get': only*} {$rd read}
    $rd publish ch x
    assert_error {*Can't execute 'publish'*} {$rd read}
    # Still subscribed: a message gets through.
    r publish ch still
    assert_equal {message ch still} [$rd read]
    $rd close
}

test {Refused commands count as rejected calls} {
    r config resetstat
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {ch}
    $rd get foo
    catch {$rd read}
    $rd get foo
    catch {$rd read}
    set line [lsearch -inline [split [r info commandstats] "\r\n"] "cmdstat_get:*"]
    assert_match {cmdstat_get:calls=0,*,rejected_calls=2,failed_calls=0} $line
    $rd close
}

test {PING in RESP2 subscribed mode replies with an array} {
    set c [redis_client]
    $c subscribe ch
    $c readraw 1
    assert_equal {*2} [$c ping]
    assert_equal {$4} [$c read]
    assert_equal {pong} [$c read]
    assert_equal {$0} [$c read]
    assert_equal {} [$c read]
    assert_equal {*2} [$c ping hi]
    assert_equal {$4} [$c read]
    assert_equal {pong} [$c read]
    assert_equal {$2} [$c read]
    assert_equal {hi} [$c read]
    $c close
}

test {Leaving subscribed mode allows every command again} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {a}
    pubsub_cmd $rd psubscribe {b*}
    pubsub_cmd $rd unsubscribe {a}
    # A pattern is left: still in subscribed mode.
    $rd set k v
    assert_error {*Can't execute 'set'*} {$rd read}
    pubsub_cmd $rd punsubscribe {b*}
    $rd set k v
    assert_equal OK [$rd read]
    $rd close
}

test {QUIT is allowed in subscribed mode} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {q}
    $rd quit
    assert_equal OK [$rd read]
    wait_for_condition 50 20 {[lindex [r pubsub numsub q] 1] == 0} else {
        fail "QUIT did not drop the subscription"
    }
    $rd close
}

test {RESET drops every subscription and leaves subscribed mode} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {r1 r2}
    pubsub_cmd $rd psubscribe {r*}
    $rd reset
    assert_equal RESET [$rd read]
    assert_equal {r1 0 r2 0} [r pubsub numsub r1 r2]
    assert_equal 0 [r pubsub numpat]
    assert_equal 0 [r publish r1 x]
    $rd get nokey
    assert_equal {} [$rd read]
    $rd close
}

test {Disconnecting drops the subscriptions} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {gone1 gone2}
    pubsub_cmd $rd psubscribe {gone*}
    assert_equal {gone1 1 gone2 1} [r pubsub numsub gone1 gone2]
    $rd close
    wait_for_condition 50 20 {[r pubsub numsub gone1 gone2] eq {gone1 0 gone2 0}} else {
        fail "subscriptions survived the client"
    }
    assert_equal 0 [r pubsub numpat]
    assert_equal 0 [r publish gone1 x]
}

test {RESP3: pushes, and ordinary commands while subscribed} {
    set c [redis_client]
    $c hello 3
    $c readraw 1
    assert_equal {>3} [$c subscribe ch3]
    assert_equal {$9} [$c read]
    assert_equal {subscribe} [$c read]
    assert_equal {$3} [$c read]
    assert_equal {ch3} [$c read]
    assert_equal {:1} [$c read]
    # Not restricted in RESP3.
    assert_equal {+OK} [$c set k3 v]
    assert_equal {+PONG} [$c ping]
    r publish ch3 hi
    assert_equal {>3} [$c read]
    assert_equal {$7} [$c read]
    assert_equal {message} [$c read]
    $c read ; $c read ; $c read ; $c read
    # UNSUBSCRIBE with nothing to drop: RESP3 null.
    assert_equal {>3} [$c unsubscribe ch3]
    $c read ; $c read ; $c read ; $c read ; $c read
    assert_equal {>3} [$c unsubscribe]
    assert_equal {$11} [$c read]
    assert_equal {unsubscribe} [$c read]
    assert_equal {_} [$c read]
    assert_equal {:0} [$c read]
    $c close
}

test {RESP3: a publisher subscribed to its own channel gets the push before the reply} {
    set c [redis_client]
    $c hello 3
    assert_equal {subscribe self 1} [$c subscribe self]
    # The push is read as the reply of PUBLISH, the count follows.
    assert_equal {message self me} [$c publish self me]
    assert_equal 1 [$c read]
    $c close
}

test {PUBSUB CHANNELS, NUMSUB and NUMPAT} {
    set rd1 [redis_deferring_client]
    set rd2 [redis_deferring_client]
    pubsub_cmd $rd1 subscribe {news.tech news.art misc}
    pubsub_cmd $rd2 subscribe {news.tech}
    pubsub_cmd $rd1 psubscribe {news.* x*}
    pubsub_cmd $rd2 psubscribe {news.*}
    assert_equal {misc news.art news.tech} [lsort [r pubsub channels]]
    assert_equal {news.art news.tech} [lsort [r pubsub channels news.*]]
    assert_equal {} [r pubsub channels nomatch*]
    assert_equal {news.tech 2 news.art 1 nosuch 0 news.* 0} [r pubsub numsub news.tech news.art nosuch news.*]
    assert_equal {} [r pubsub numsub]
    # Distinct patterns, whoever subscribes to them.
    assert_equal 2 [r pubsub numpat]
    $rd1 close
    $rd2 close
    wait_for_condition 50 20 {[r pubsub numpat] == 0} else { fail "patterns left" }
    assert_equal {} [r pubsub channels]
}

test {PUBSUB argument errors and HELP} {
    assert_error {ERR unknown subcommand or wrong number of arguments for 'channels'. Try PUBSUB HELP.} \
        {r pubsub channels a b}
    assert_error {ERR wrong number of arguments for 'pubsub|numpat' command} {r pubsub numpat x}
    assert_error {ERR unknown subcommand 'nosuch'. Try PUBSUB HELP.} {r pubsub nosuch}
    assert_error {ERR wrong number of arguments for 'subscribe' command} {r subscribe}
    assert_error {ERR wrong number of arguments for 'publish' command} {r publish ch}
    set help [r pubsub help]
    assert_match {PUBSUB <subcommand> *} [lindex $help 0]
    foreach sub {CHANNELS NUMPAT NUMSUB SHARDCHANNELS SHARDNUMSUB HELP} {
        assert {[lsearch -glob $help "$sub*"] >= 0} "$sub in PUBSUB HELP"
    }
}

test {CLIENT LIST shows the P flag and sub/psub counts} {
    set rd [redis_deferring_client]
    $rd client setname subber
    $rd read
    pubsub_cmd $rd subscribe {a b c}
    pubsub_cmd $rd psubscribe {p*}
    set line [lsearch -inline [split [r client list] "\n"] "*name=subber*"]
    assert_match {*flags=P *sub=3 psub=1 ssub=0 *} $line
    assert_match {*name=subber*} [r client list type pubsub]
    assert_no_match {*name=subber*} [r client list type normal]
    pubsub_cmd $rd unsubscribe {} 3
    pubsub_cmd $rd punsubscribe {} 1
    set line [lsearch -inline [split [r client list] "\n"] "*name=subber*"]
    assert_match {*flags=N *sub=0 psub=0 ssub=0 *} $line
    $rd close
}

test {CLIENT KILL TYPE pubsub disconnects subscribers only} {
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {k}
    set other [redis_client]
    assert_equal 1 [r client kill type pubsub]
    wait_for_condition 50 20 {[lindex [r pubsub numsub k] 1] == 0} else { fail "not killed" }
    assert_equal PONG [$other ping]
    $other close
    $rd close
}

test {Messages reach a subscriber that switched replies off} {
    set rd [redis_deferring_client]
    $rd client reply off
    $rd subscribe quiet
    assert_equal {subscribe quiet 1} [$rd read]
    assert_equal 1 [r publish quiet hush]
    assert_equal {message quiet hush} [$rd read]
    $rd close
}

test {Channel names and messages are binary safe} {
    set rd [redis_deferring_client]
    set ch "bin\r\n\x00ch"
    set msg "m\x00\r\n\xff"
    pubsub_cmd $rd subscribe [list $ch]
    pubsub_cmd $rd psubscribe [list "bin*"]
    assert_equal 2 [r publish $ch $msg]
    assert_equal [list message $ch $msg] [$rd read]
    assert_equal [list pmessage bin* $ch $msg] [$rd read]
    assert_equal [list $ch 1] [r pubsub numsub $ch]
    $rd close
}

test {Subscriptions of one client do not leak into another's} {
    set rd1 [redis_deferring_client]
    set rd2 [redis_deferring_client]
    pubsub_cmd $rd1 subscribe {mine}
    pubsub_cmd $rd2 subscribe {yours}
    # rd2 unsubscribing from a channel it never had leaves rd1 alone.
    assert_equal {1} [pubsub_cmd $rd2 unsubscribe {mine}]
    assert_equal 1 [r publish mine x]
    assert_equal {message mine x} [$rd1 read]
    $rd1 close
    $rd2 close
}

test {Many subscribers and channels, then everyone leaves} {
    set clients {}
    for {set i 0} {$i < 20} {incr i} {
        set rd [redis_deferring_client]
        lappend clients $rd
        set names {}
        for {set j 0} {$j < 10} {incr j} { lappend names "ch:[expr {($i + $j) % 15}]" }
        pubsub_cmd $rd subscribe $names
    }
    # Each channel has as many subscribers as (i + j) % 15 hits it.
    set total 0
    for {set k 0} {$k < 15} {incr k} { incr total [r publish "ch:$k" x] }
    assert_equal 200 $total
    foreach rd $clients { $rd close }
    wait_for_condition 50 20 {[llength [r pubsub channels]] == 0} else { fail "channels left" }
}

}

start_server {tags {"pubsub"}} {

test {A subscriber over the pubsub output buffer limit is disconnected} {
    r config set client-output-buffer-limit "pubsub 256k 0 0"
    set rd [redis_deferring_client]
    $rd client setname slowsub
    $rd read
    pubsub_cmd $rd subscribe {flood}
    # The subscriber reads nothing; once the kernel buffers are full the
    # server's output buffer grows past the hard limit.
    set payload [string repeat x 65536]
    for {set i 0} {$i < 400} {incr i} {
        r publish flood $payload
        if {[lindex [r pubsub numsub flood] 1] == 0} break
    }
    wait_for_condition 50 20 {[lindex [r pubsub numsub flood] 1] == 0} else {
        fail "the slow subscriber was not disconnected"
    }
    assert_no_match {*name=slowsub*} [r client list]
    $rd close
    r config set client-output-buffer-limit "pubsub 32mb 8mb 60"
}

test {The normal class limit does not apply to subscribers} {
    r config set client-output-buffer-limit "normal 64k 0 0 pubsub 0 0 0"
    set rd [redis_deferring_client]
    pubsub_cmd $rd subscribe {big}
    set payload [string repeat y 65536]
    for {set i 0} {$i < 40} {incr i} { r publish big $payload }
    # Still subscribed, and every message arrives.
    assert_equal 1 [lindex [r pubsub numsub big] 1]
    for {set i 0} {$i < 40} {incr i} {
        assert_equal 65536 [string length [lindex [$rd read] 2]]
    }
    $rd close
    r config set client-output-buffer-limit "normal 0 0 0 pubsub 32mb 8mb 60"
}

}

# Found by the differential test (tests/support/difftest.tcl) against Redis
# 7.0: its glob matcher never matches an empty name except with an empty
# pattern, so "*" does not cover the channel "".
start_server {tags {"pubsub"}} {
    test {The empty channel name is matched by the empty pattern only} {
        set rd [redis_deferring_client]
        assert_equal {1 2} [pubsub_cmd $rd psubscribe {* {}}]
        assert_equal 1 [r publish "" hi]
        assert_equal 1 [r publish x hi]
        assert_equal {pmessage {} {} hi} [$rd read]
        assert_equal {pmessage * x hi} [$rd read]
        set rd2 [redis_deferring_client]
        pubsub_cmd $rd2 subscribe {{} y}
        assert_equal {{} y} [lsort [r pubsub channels]]
        assert_equal {y} [r pubsub channels *]
        assert_equal {{}} [r pubsub channels ""]
        $rd close
        $rd2 close
    }
}
