#!/usr/bin/env tclsh
# eviction-hitrate.tcl -- measures eviction quality: the cache hit rate of
# ringkv and of Redis under the same skewed workload with allkeys-lru.
#
# Each server is started on a private port with maxmemory set so that only
# part of the key space fits, then driven as a cache: GET a key, and on a
# miss SET it (cache-aside), for the same access sequence on both servers (a
# Zipf or an 80/20 distribution drawn from a fixed seed by a generator of our
# own, so every run and every Tcl version sees the same keys).  The hit rate
# is keyspace_hits / (keyspace_hits + keyspace_misses) from INFO, over the
# whole run and over its second half (the steady state, once the cache has
# filled).
#
# Two ways of sizing the limit are reported:
#   equal-keys   each server gets its empty-server memory plus --fraction of
#                the bytes it needs to hold every key: both hold about the
#                same number of keys, so only the choice of victims differs.
#                This is the comparison the eviction algorithm is judged by.
#   equal-bytes  both get the same maxmemory (the one Redis got above): what
#                a user swapping servers sees.  ringkv stores a key in fewer
#                bytes, so it holds more keys and hits more often.
# Pacing: the LRU clock ticks once per second (in both servers), so a run
# squeezed into a second or two would rank every key as equally recent and
# measure random eviction.  --rate (accesses per second, 0 = flat out)
# spreads the run so that keys' idle times span many clock ticks, as they
# do in a cache that runs for hours.
# Exit status is 1 when the equal-keys hit rates differ by more than
# --max-diff percentage points.
#
# Usage: tclsh utils/eviction-hitrate.tcl ?--keys N? ?--ops N? ?--pattern zipf|80/20?
#            ?--rate OPS_PER_SEC? ?--zipf-s S? ?--fraction F? ?--value-size B? ?--seed N? ?--batch N?
#            ?--samples N? ?--policy P (allkeys-lru)? ?--ringkv PATH? ?--redis PATH? ?--port P? ?--max-diff D?

set opt(keys) 200000
set opt(ops) 1000000
set opt(rate) 20000
set opt(pattern) zipf
set opt(zipf-s) 0.9
set opt(fraction) 0.2
set opt(value-size) 100
set opt(seed) 1
set opt(batch) 200
set opt(samples) 5
set opt(policy) allkeys-lru
set opt(ringkv) [file join [file dirname [info script]] .. src ringkv-server]
set opt(redis) /usr/bin/redis-server
set opt(port) 7422
set opt(max-diff) 2.0

foreach {name value} $argv {
    set name [string range $name 2 end]
    if {![info exists opt($name)]} {
        puts stderr "unknown option --$name"
        exit 2
    }
    set opt($name) $value
}

# --- deterministic random numbers ----------------------------------------

# A 64-bit xorshift* generator: Tcl's rand() differs between builds, this
# does not.
set rngState [expr {($opt(seed) * 0x9E3779B97F4A7C15 + 1) & 0xFFFFFFFFFFFFFFFF}]
proc rngUnit {} {
    global rngState
    set x $rngState
    set x [expr {$x ^ ($x >> 12)}]
    set x [expr {($x ^ ($x << 25)) & 0xFFFFFFFFFFFFFFFF}]
    set x [expr {$x ^ ($x >> 27)}]
    set rngState $x
    set r [expr {($x * 0x2545F4914F6CDD1D) & 0xFFFFFFFFFFFFFFFF}]
    return [expr {double($r >> 11) / 9007199254740992.0}]
}

# The access sequence, as a list of key ranks (0 = most popular).
proc makeAccesses {} {
    global opt
    set n $opt(keys)
    set out {}
    if {$opt(pattern) eq "zipf"} {
        # Cumulative weights 1/k^s, normalised; a uniform draw is mapped to
        # a rank by binary search (lsearch -bisect runs in C).
        set total 0.0
        set cdf {}
        for {set k 1} {$k <= $n} {incr k} {
            set total [expr {$total + 1.0 / pow($k, $opt(zipf-s))}]
            lappend cdf $total
        }
        set scaled {}
        foreach c $cdf { lappend scaled [expr {$c / $total}] }
        for {set i 0} {$i < $opt(ops)} {incr i} {
            set idx [lsearch -bisect -real $scaled [rngUnit]]
            lappend out [expr {$idx + 1 >= $n ? $n - 1 : $idx + 1}]
        }
    } elseif {$opt(pattern) eq "80/20"} {
        # 80% of the accesses go to 20% of the keys, uniformly within each
        # group.
        set hot [expr {$n / 5}]
        for {set i 0} {$i < $opt(ops)} {incr i} {
            if {[rngUnit] < 0.8} {
                lappend out [expr {int([rngUnit] * $hot)}]
            } else {
                lappend out [expr {$hot + int([rngUnit] * ($n - $hot))}]
            }
        }
    } else {
        puts stderr "unknown pattern $opt(pattern) (zipf or 80/20)"
        exit 2
    }
    return $out
}

# --- a small pipelining RESP client -----------------------------------------

source [file join [file dirname [info script]] resp.tcl]

proc infoField {fd field} {
    foreach line [split [call $fd info all] "\n"] {
        if {[string match "$field:*" $line]} { return [string trim [string range $line [string length $field]+1 end]] }
    }
    error "INFO has no $field"
}

# --- servers --------------------------------------------------------------

proc startServer {bin port} {
    set pid [exec $bin --port $port --save "" --appendonly no --maxmemory-policy $::opt(policy) \
                 --maxmemory-samples $::opt(samples) --bind 127.0.0.1 >/dev/null 2>@1 &]
    for {set i 0} {$i < 100} {incr i} {
        if {![catch {set fd [socket 127.0.0.1 $port]}]} {
            fconfigure $fd -translation binary -buffering full
            if {![catch {call $fd ping} r] && $r eq "PONG"} { return [list $pid $fd] }
            close $fd
        }
        after 50
    }
    catch {exec kill $pid}
    error "$bin did not start on port $port"
}

proc stopServer {pid fd} {
    catch {close $fd}
    catch {exec kill $pid}
    after 200
}

# Loads every key (values of value-size bytes) with no limit and returns
# {empty used_memory, used_memory with the first fraction x keys loaded,
# used_memory with all of them}.  The middle one is the equal-keys limit:
# what this server needs to hold that many keys, hash table included.
proc measureFootprint {fd} {
    global opt
    call $fd flushall
    set base [infoField $fd used_memory]
    set fit [expr {int($opt(keys) * $opt(fraction))}]
    set val [string repeat v $opt(value-size)]
    set atFit 0
    for {set i 0} {$i < $opt(keys)} {incr i $opt(batch)} {
        set end [expr {min($i + $opt(batch), $opt(keys))}]
        if {$i < $fit && $end > $fit} { set end $fit }
        for {set k $i} {$k < $end} {incr k} { puts -nonewline $fd [encode set key:$k $val] }
        flush $fd
        for {set k $i} {$k < $end} {incr k} { readReply $fd }
        if {$end == $fit} {
            # A hash table that just grew holds both bucket arrays until
            # its incremental rehash ends (the cron finishes it): measure
            # after that, or the limit would include the old array.
            after 1500
            set atFit [infoField $fd used_memory]
        }
        set i [expr {$end - $opt(batch)}]
    }
    set full [infoField $fd used_memory]
    call $fd flushall
    # Let a lazy flush finish before the next measurement.
    after 200
    return [list $base $atFit $full]
}

# Runs the access sequence as a cache and returns
# {hit% second-half-hit% keys-held seconds}.
proc runWorkload {fd maxmemory accesses} {
    global opt
    call $fd flushall
    call $fd config set maxmemory $maxmemory
    call $fd config resetstat
    set val [string repeat v $opt(value-size)]
    set n [llength $accesses]
    set half [expr {$n / 2}]
    set start [clock milliseconds]
    set midHits 0
    set midMisses 0
    for {set i 0} {$i < $n} {incr i $opt(batch)} {
        if {$i >= $half && $midHits == 0 && $midMisses == 0} {
            set midHits [infoField $fd keyspace_hits]
            set midMisses [infoField $fd keyspace_misses]
        }
        set batch [lrange $accesses $i [expr {$i + $opt(batch) - 1}]]
        foreach k $batch { puts -nonewline $fd [encode get key:$k] }
        flush $fd
        set misses {}
        foreach k $batch {
            if {[readReply $fd] eq "nil"} { lappend misses $k }
        }
        if {[llength $misses]} {
            foreach k $misses { puts -nonewline $fd [encode set key:$k $val] }
            flush $fd
            foreach k $misses { readReply $fd }
        }
        if {$opt(rate) > 0} {
            set due [expr {$start + ($i + $opt(batch)) * 1000 / $opt(rate)}]
            set wait [expr {$due - [clock milliseconds]}]
            if {$wait > 0} { after $wait }
        }
    }
    set secs [expr {([clock milliseconds] - $start) / 1000.0}]
    set hits [infoField $fd keyspace_hits]
    set missesTotal [infoField $fd keyspace_misses]
    set held [call $fd dbsize]
    set rate [expr {100.0 * $hits / ($hits + $missesTotal)}]
    set h2 [expr {$hits - $midHits}]
    set m2 [expr {$missesTotal - $midMisses}]
    set rate2 [expr {100.0 * $h2 / ($h2 + $m2)}]
    call $fd config set maxmemory 0
    return [list $rate $rate2 $held $secs]
}

proc report {mode name maxmemory result} {
    lassign $result rate rate2 held secs
    puts [format "  %-8s %-12s maxmemory %10d  keys held %7d  hit rate %6.2f%%  (second half %6.2f%%)  %.1f s" \
              $name $mode $maxmemory $held $rate $rate2 $secs]
}

# Stops the servers this script started (also after an error).
proc stopAll {} {
    global srv
    foreach name {redis ringkv} {
        if {[info exists srv($name,pid)]} { stopServer $srv($name,pid) $srv($name,fd) }
        unset -nocomplain srv($name,pid)
    }
}

# Returns ringkv's equal-keys hit rate minus Redis's, in points.
proc main {accesses} {
    global opt srv
    set servers [list redis $opt(redis) $opt(port) ringkv $opt(ringkv) [expr {$opt(port) + 1}]]
    foreach {name bin port} $servers {
        lassign [startServer $bin $port] pid fd
        set srv($name,pid) $pid
        set srv($name,fd) $fd
        lassign [measureFootprint $fd] srv($name,base) srv($name,fit) full
        set srv($name,data) [expr {$full - $srv($name,base)}]
    }

    puts "\nequal-keys: maxmemory = what each server uses holding $opt(fraction) x the keys"
    foreach name {redis ringkv} {
        set mm $srv($name,fit)
        set res($name) [runWorkload $srv($name,fd) $mm $accesses]
        report equal-keys $name $mm $res($name)
    }
    set diff [expr {[lindex $res(ringkv) 0] - [lindex $res(redis) 0]}]
    set diff2 [expr {[lindex $res(ringkv) 1] - [lindex $res(redis) 1]}]
    puts [format "  ringkv - redis: %+.2f points (second half %+.2f)" $diff $diff2]

    puts "\nequal-bytes: ringkv gets Redis's equal-keys maxmemory"
    set mm $srv(redis,fit)
    set bytes [runWorkload $srv(ringkv,fd) $mm $accesses]
    report equal-bytes ringkv $mm $bytes
    puts [format "  ringkv - redis: %+.2f points" [expr {[lindex $bytes 0] - [lindex $res(redis) 0]}]]
    puts [format "  bytes per key (dataset / keys): redis %.1f, ringkv %.1f" \
              [expr {double($srv(redis,data)) / $opt(keys)}] [expr {double($srv(ringkv,data)) / $opt(keys)}]]
    stopAll
    return $diff
}

# --- main -------------------------------------------------------------------

puts "eviction-hitrate: pattern $opt(pattern)[expr {$opt(pattern) eq {zipf} ? " s=$opt(zipf-s)" : {}}],\
 $opt(keys) keys x $opt(value-size) B values, $opt(ops) accesses at [expr {$opt(rate) ? "$opt(rate)/s" : "full speed"}],\
 seed $opt(seed), $opt(policy), maxmemory-samples $opt(samples), fraction $opt(fraction)"
set t0 [clock milliseconds]
set accesses [makeAccesses]
puts "  access sequence generated in [expr {([clock milliseconds] - $t0) / 1000.0}] s"

if {[catch {main $accesses} diff]} {
    set info $::errorInfo
    stopAll
    puts stderr $info
    exit 2
}
if {abs($diff) > $opt(max-diff)} {
    puts "FAIL: equal-keys hit rates differ by more than $opt(max-diff) points"
    exit 1
}
puts "OK: equal-keys hit rates within $opt(max-diff) points"
