# netio.tcl: how pipelined requests map onto the server's read(2) and
# write(2) calls, seen through INFO's total_reads_processed and
# total_writes_processed.
#
# Why it matters: redis-benchmark -P 16 -d 1024 sends batches of about
# 17 KB.  A server that reads at most 16 KB per call parses 15 commands,
# answers them, and only in the next loop iteration reads the last one and
# answers it: two reads, two writes and two client wake-ups per batch
# instead of one.  The batches here are written with one write(2) on a raw
# socket (a large channel buffer), so they reach the server in one piece.
#
# The first batch of a connection is not measured: Redis 7.0 sizes a fresh
# query buffer to exactly 16 KB and reads the rest of that first batch
# separately; the rule is the same for both servers from the second batch on.

# Opens a raw connection that sends a whole batch with one write(2).
proc netio_connect {} {
    set fd [socket [srv 0 host] [srv 0 port]]
    fconfigure $fd -translation binary -buffering full -buffersize 1048576 -blocking 1
    return $fd
}

# Sends batch on fd at once and reads exactly nbytes of replies; returns
# them with the INFO deltas {reads writes} the batch cost (each raw delta
# also counts one INFO of ours: the read of the second, the reply of the
# first).
proc netio_batch {fd batch nbytes} {
    lassign [netio_counts] r0 w0
    puts -nonewline $fd $batch
    flush $fd
    set replies [read $fd $nbytes]
    lassign [netio_counts] r1 w1
    return [list $replies [expr {$r1 - $r0 - 1}] [expr {$w1 - $w0 - 1}]]
}

# {total_reads_processed total_writes_processed}, from one INFO call.
proc netio_counts {} {
    set info [r info stats]
    regexp {total_reads_processed:(\d+)} $info -> reads
    regexp {total_writes_processed:(\d+)} $info -> writes
    return [list $reads $writes]
}

proc netio_set_cmd {key val} {
    return "*3\r\n\$3\r\nSET\r\n\$[string length $key]\r\n$key\r\n\$[string length $val]\r\n$val\r\n"
}

start_server {tags {"netio"}} {

test {A pipeline of 16 SETs of 1 KB (over 16 KB) costs one read and one write} {
    set fd [netio_connect]
    set batch [string repeat [netio_set_cmd netio:k [string repeat x 1024]] 16]
    assert {[string length $batch] > 16384}
    set ok16 [string repeat "+OK\r\n" 16]
    lassign [netio_batch $fd $batch [string length $ok16]] replies
    assert_equal $ok16 $replies
    foreach round {1 2 3} {
        lassign [netio_batch $fd $batch [string length $ok16]] replies reads writes
        assert_equal $ok16 $replies
        assert_equal {1 1} [list $reads $writes]
    }
    close $fd
    assert_equal 1024 [r strlen netio:k]
}

test {A pipeline of 16 GETs whose replies pass 16 KB is answered in one go} {
    r set netio:big [string repeat y 1024]
    set fd [netio_connect]
    set get "*2\r\n\$3\r\nGET\r\n\$9\r\nnetio:big\r\n"
    set batch [string repeat $get 16]
    set one "\$1024\r\n[string repeat y 1024]\r\n"
    set want [string repeat $one 16]
    assert {[string length $want] > 16384}
    lassign [netio_batch $fd $batch [string length $want]] replies
    assert_equal $want $replies
    # The replies overflow the 16 KB reply buffer into the list: still one
    # read, and one (vectored) write.
    lassign [netio_batch $fd $batch [string length $want]] replies reads writes
    assert_equal $want $replies
    assert_equal {1 1} [list $reads $writes]
    close $fd
}

test {A pipeline split across two writes is still answered completely} {
    # Behaviour, not counts: half a command in the first write, the rest
    # (and more commands) later.
    set fd [netio_connect]
    set batch [string repeat [netio_set_cmd netio:s [string repeat z 3000]] 8]
    set cut 10000
    puts -nonewline $fd [string range $batch 0 [expr {$cut - 1}]]
    flush $fd
    after 50
    puts -nonewline $fd [string range $batch $cut end]
    flush $fd
    assert_equal [string repeat "+OK\r\n" 8] [read $fd 40]
    close $fd
    assert_equal 3000 [r strlen netio:s]
}

}
