#!/usr/bin/env tclsh
# snapshot-bigvalue.tcl -- how long can a BGSAVE hold the event loop when the
# data set holds one huge value?  (Issue 4: big values must not stall the
# loop for their whole size.)
#
# For each type in --types, the server (started here, on a private port)
# gets one value of that type: a list, hash, set or sorted set of --elements
# elements, or a string of --string-mb megabytes.  Then BGSAVE runs while
# this script PINGs from its own connection about every millisecond, and
# reports for that save:
#   save_ms       how long the save took
#   pings         PINGs answered during it
#   ping_max_ms   the longest PING round trip (what a client waits at worst)
#   ping_p99_ms   its 99th percentile
#   slice_max_ms  the longest "snapshot-slice" event of the LATENCY monitor
#                 (latency-monitor-threshold 1: slices of 1 ms and more)
#   write_ms      one command that changes the big value in place, sent once
#                 the save is under way (a second BGSAVE): the one case whose
#                 cost is linear in the value (its T0 content is written first)
#   unlink_ms     UNLINK of the big value once a third save is under way: a
#                 save that adopts the doomed value answers in O(1)
#   pieces        values the save wrote in pieces (INFO, ringkv since issue 4)
# A server without the LATENCY events (or without the INFO field that counts
# values written in pieces) shows "-" there.  Run it once per binary to
# compare them (e.g. before and after a change):
#
#   tclsh utils/snapshot-bigvalue.tcl --server build/h5/ringkv-server
#   tclsh utils/snapshot-bigvalue.tcl --server /tmp/base/ringkv-server
#
# Memory: the server holds one big value at a time (5M elements is about
# 0.5 GB for a hash or a sorted set).  Loading goes through pipelined
# variadic commands, which takes a few seconds per type.
#
# Usage: tclsh utils/snapshot-bigvalue.tcl ?--server PATH? ?--port P?
#            ?--elements N (5000000)? ?--string-mb M (200)?
#            ?--types "list hash set zset string"? ?--extra-args "..."?

set opt(server) [file join [file dirname [info script]] .. src ringkv-server]
set opt(port) 7590
set opt(elements) 5000000
set opt(string-mb) 200
set opt(types) {list hash set zset string}
set opt(extra-args) {}

foreach {name value} $argv {
    set name [string range $name 2 end]
    if {![info exists opt($name)]} {
        puts stderr "unknown option --$name"
        exit 2
    }
    set opt($name) $value
}

# --- a small RESP client ------------------------------------------------------

source [file join [file dirname [info script]] resp.tcl]

proc connect {} {
    global opt
    set fd [socket 127.0.0.1 $opt(port)]
    fconfigure $fd -translation binary -buffering full -buffersize 1048576
    return $fd
}

proc infoField {fd field} {
    if {[regexp "\r\n$field:(\[^\r\]*)" [call $fd info] -> v]} { return $v }
    return ""
}

# --- the server ----------------------------------------------------------------

proc startServer {} {
    global opt serverPid dir
    set dir [file join /tmp snapshot-bigvalue.[pid]]
    file mkdir $dir
    set serverPid [exec $opt(server) --port $opt(port) --bind 127.0.0.1 --save "" --dir $dir \
                       --latency-monitor-threshold 1 {*}$opt(extra-args) >& $dir/log &]
    for {set i 0} {$i < 200} {incr i} {
        if {![catch {set fd [connect]}]} {
            if {![catch {call $fd ping}]} { return $fd }
            close $fd
        }
        after 50
    }
    puts stderr "server did not start: [exec tail -5 $dir/log]"
    exit 1
}

proc stopServer {fd} {
    global serverPid dir
    catch {call $fd shutdown nosave}
    catch {close $fd}
    catch {exec kill $serverPid}
    after 200
    file delete -force $dir
}

# --- loading one big value -------------------------------------------------------

# Pipelined variadic commands of 100 elements, in batches of 500 commands.
proc loadValue {fd type n} {
    set cmd [dict get {list rpush hash hset set sadd zset zadd} $type]
    set inflight 0
    for {set i 0} {$i < $n} {incr i 100} {
        set args {}
        for {set j $i} {$j < $i + 100 && $j < $n} {incr j} {
            switch $type {
                list - set { lappend args element:$j }
                hash { lappend args field:$j value:$j }
                zset { lappend args $j member:$j }
            }
        }
        puts -nonewline $fd [encode $cmd big {*}$args]
        if {[incr inflight] == 500} {
            flush $fd
            while {$inflight} { readReply $fd; incr inflight -1 }
        }
    }
    flush $fd
    while {$inflight} { readReply $fd; incr inflight -1 }
}

# A text-like string (LZF finds something to compress), appended 1 MB at a
# time.
proc loadString {fd mb} {
    set piece ""
    set len 0
    for {set i 0} {$len < 1048576} {incr i} {
        set word "v:$i:[expr {$i * 7919 % 10007}],"
        append piece $word
        incr len [string length $word]
    }
    set piece [string range $piece 0 1048575]
    for {set i 0} {$i < $mb} {incr i} { puts -nonewline $fd [encode append big $piece] }
    flush $fd
    for {set i 0} {$i < $mb} {incr i} { readReply $fd }
}

# A command that changes the big value (so the save must write it first).
proc changeCommand {type} {
    return [dict get {list {lpush big x} hash {hset big field:1 changed} set {sadd big newmember}
                      zset {zadd big -1 newmember} string {setrange big 0 changed}} $type]
}

# --- measuring -------------------------------------------------------------------

proc waitSaveDone {fd} {
    while {[infoField $fd rdb_bgsave_in_progress] == 1} { after 5 }
}

proc measure {fd type} {
    set ping [connect]
    call $fd latency reset
    set t0 [clock microseconds]
    call $fd bgsave
    set rtts {}
    set n 0
    while {1} {
        set t [clock microseconds]
        call $ping ping
        lappend rtts [expr {([clock microseconds] - $t) / 1000.0}]
        after 1
        if {[incr n] % 20 == 0 && [infoField $fd rdb_bgsave_in_progress] != 1} break
    }
    set save_ms [expr {([clock microseconds] - $t0) / 1000}]
    set status [infoField $fd rdb_last_bgsave_status]
    set pieces [infoField $fd rdb_current_keys_in_pieces]
    set rtts [lsort -real $rtts]
    set max [lindex $rtts end]
    set p99 [lindex $rtts [expr {int(0.99 * ([llength $rtts] - 1))}]]
    set slice -
    foreach ev [call $fd latency latest] {
        if {[lindex $ev 0] eq "snapshot-slice"} { set slice [lindex $ev 3] }
    }
    # The linear case: a change to the value while the save is at it.
    call $fd bgsave
    set t [clock microseconds]
    call $ping {*}[changeCommand $type]
    set write_ms [format %.1f [expr {([clock microseconds] - $t) / 1000.0}]]
    waitSaveDone $fd
    call $fd bgsave
    set t [clock microseconds]
    call $ping unlink big
    set unlink_ms [format %.1f [expr {([clock microseconds] - $t) / 1000.0}]]
    waitSaveDone $fd
    close $ping
    if {$pieces eq ""} { set pieces - }
    return [list $save_ms [llength $rtts] [format %.2f $max] [format %.2f $p99] $slice $write_ms $unlink_ms $pieces \
                $status]
}

set fd [startServer]
puts "server: $opt(server)"
puts "value:  $opt(elements) elements, string $opt(string-mb) MB"
set fmt "%-7s %9s %8s %8s %6s %11s %11s %12s %9s %9s %6s"
puts [format $fmt type size load_ms save_ms pings ping_max_ms ping_p99_ms slice_max_ms write_ms unlink_ms pieces]
foreach type $opt(types) {
    call $fd flushall
    set t [clock milliseconds]
    if {$type eq "string"} {
        loadString $fd $opt(string-mb)
        set size "$opt(string-mb)MB"
    } else {
        loadValue $fd $type $opt(elements)
        set size $opt(elements)
    }
    set load_ms [expr {[clock milliseconds] - $t}]
    lassign [measure $fd $type] save_ms pings max p99 slice write_ms unlink_ms pieces status
    if {$status ne "ok"} { puts stderr "$type: save status $status" }
    puts [format $fmt $type $size $load_ms $save_ms $pings $max $p99 $slice $write_ms $unlink_ms $pieces]
    flush stdout
}
stopServer $fd
