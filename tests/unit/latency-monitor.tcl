# latency-monitor.tcl: LATENCY (LATEST HISTORY RESET GRAPH DOCTOR HISTOGRAM
# HELP), INFO latencystats and the latency-tracking directives.
#
# Two instruments are covered.  The latency monitor: events recorded only at
# or above latency-monitor-threshold (0: off), one sample per second per
# event, LATEST/HISTORY reply shapes, RESET by name (any case) or all,
# GRAPH's header and errors, DOCTOR's answers.  The per-command histograms:
# LATENCY HISTOGRAM's map shape in RESP2 and RESP3, its power-of-two labels
# (Redis's: 1 2 4 8 16 33 66 132 ... microseconds) with cumulative counts
# ending at the number of calls, subcommands and name arguments, CONFIG
# RESETSTAT, latency-tracking no, and INFO latencystats lines with the
# percentiles of latency-tracking-info-percentiles (parsing, bounds,
# formatting).  DEBUG SLEEP makes commands as slow as a test needs.

# The labels LATENCY HISTOGRAM may use: HDR boundaries 2^(10+k) ns in us.
set ::latency_labels {1 2 4 8 16 33 66 132 264 528 1056 2113 4227 8454 16908 33816 67633 135266 270532 541065 1073741}

# LATENCY HISTOGRAM's reply as a dict (works for RESP2 flat lists too).
proc latency_histogram {args} {
    return [dict create {*}[r latency histogram {*}$args]]
}

# Checks the shape of one command's entry and returns its calls.
proc check_histogram_entry {entry} {
    assert_equal {calls histogram_usec} [dict keys $entry]
    set calls [dict get $entry calls]
    set prev 0
    set last 0
    foreach {label count} [dict get $entry histogram_usec] {
        assert {[lsearch -exact $::latency_labels $label] >= 0} "unexpected label $label"
        assert_morethan $count $prev
        assert_morethan $label $last
        set prev $count
        set last $label
    }
    assert_equal $calls $prev
    return $calls
}

# The value of an INFO latencystats line, "" when absent.
proc latencystats_line {cmd} {
    set info [r info latencystats]
    set field [regsub -all {[|]} "latency_percentiles_usec_$cmd" {\\|}]
    if {[regexp "(?:^|\n)$field:(\[^\r\n\]*)" $info -> value]} { return $value }
    return ""
}

start_server {tags {latency-monitor}} {
    # --- per-command histograms ---------------------------------------

    test {latency-tracking directives and their defaults} {
        assert_equal {latency-tracking yes} [r config get latency-tracking]
        assert_equal {latency-tracking-info-percentiles {50 99 99.9}} [r config get latency-tracking-info-percentiles]
    }

    test {LATENCY HISTOGRAM right after CONFIG RESETSTAT has only the RESETSTAT} {
        r config resetstat
        set h [latency_histogram]
        assert_equal {config|resetstat} [dict keys $h]
        assert_equal 1 [check_histogram_entry [dict get $h config|resetstat]]
    }

    test {LATENCY HISTOGRAM counts every call of every command} {
        r config resetstat
        r set a b
        r set c d
        r get a
        set h [latency_histogram]
        assert_equal 2 [check_histogram_entry [dict get $h set]]
        assert_equal 1 [check_histogram_entry [dict get $h get]]
        assert {[dict exists $h config|resetstat]}
        assert_equal 3 [dict size $h]
    }

    test {LATENCY HISTOGRAM: subcommands have their own histogram} {
        r config resetstat
        r client id
        r client id
        r config get maxmemory
        set h [latency_histogram]
        assert_equal 2 [check_histogram_entry [dict get $h client|id]]
        assert_equal 1 [check_histogram_entry [dict get $h config|get]]
        # A container name stands for its subcommands that ran.
        set h [latency_histogram config]
        assert_equal {config|get config|resetstat} [lsort [dict keys $h]]
        set h [latency_histogram CONFIG|GET client|ID]
        assert_equal {config|get client|id} [dict keys $h]
    }

    test {LATENCY HISTOGRAM with names: in order, repeats kept, unknown or idle skipped} {
        r config resetstat
        r set a b
        r get a
        set raw [r latency histogram get nosuchcommand set GET hset]
        assert_equal 6 [llength $raw]
        assert_equal {get set get} [list [lindex $raw 0] [lindex $raw 2] [lindex $raw 4]]
        assert_equal {} [r latency histogram nosuchcommand]
    }

    test {LATENCY HISTOGRAM labels are Redis's power-of-two buckets, cumulative} {
        r config resetstat
        r debug sleep 0
        r debug sleep 0.001
        r debug sleep 0.003
        set entry [dict get [latency_histogram debug] debug]
        assert_equal 3 [check_histogram_entry $entry]
        # 1 ms and 3 ms land past the 528 and 2113 us boundaries.
        set labels [dict keys [dict get $entry histogram_usec]]
        assert_morethan_equal [lindex $labels end] 4227
    }

    test {LATENCY HISTOGRAM: durations over one second are counted as one second} {
        r config resetstat
        r debug sleep 1.05
        set entry [dict get [latency_histogram debug] debug]
        assert_equal {1073741 1} [dict get $entry histogram_usec]
    }

    test {LATENCY HISTOGRAM in RESP3 is a map of maps} {
        r config resetstat
        r set a b
        r hello 3
        r readraw 1
        r send latency histogram set
        set lines {}
        for {set i 0} {$i < 12} {incr i} { lappend lines [r read] }
        r readraw 0
        r hello 2
        assert_equal "%1 \$3 set %2 \$5 calls :1 \$14 histogram_usec %1" [join [lrange $lines 0 9] " "]
        assert_match {:*} [lindex $lines 10]
        assert_equal {:1} [lindex $lines 11]
    }

    test {LATENCY HISTOGRAM in RESP2 is a flat array} {
        r config resetstat
        r set a b
        r readraw 1
        r send latency histogram set
        set lines {}
        for {set i 0} {$i < 12} {incr i} { lappend lines [r read] }
        r readraw 0
        assert_equal "*2 \$3 set *4 \$5 calls :1 \$14 histogram_usec *2" [join [lrange $lines 0 9] " "]
        assert_match {:*} [lindex $lines 10]
        assert_equal {:1} [lindex $lines 11]
    }

    test {A blocking command enters the histogram when served, not when it times out} {
        r config resetstat
        r del hlist
        set rd [redis_deferring_client]
        $rd blpop nosuchlist 0.01
        assert_equal {} [$rd read]
        assert_equal {} [latency_histogram blpop]
        $rd blpop hlist 0
        wait_for_condition 50 20 {[s blocked_clients] == 1} else { fail "client did not block" }
        assert_equal {} [latency_histogram blpop]
        r rpush hlist x
        assert_equal {hlist x} [$rd read]
        assert_equal 1 [dict get [latency_histogram blpop] blpop calls]
        $rd close
    }

    test {Refused commands are not tracked} {
        r config resetstat
        catch {r get}
        catch {r nosuchcommand}
        assert_equal {} [latency_histogram get]
    }

    test {latency-tracking no stops recording; CONFIG RESETSTAT drops the histograms} {
        r config resetstat
        r set a b
        r config set latency-tracking no
        r set a b
        r get a
        assert_equal 1 [dict get [latency_histogram set] set calls]
        assert_equal {} [latency_histogram get]
        # INFO shows nothing while tracking is off; the histogram is kept.
        assert_equal {} [latencystats_line set]
        assert_match "# Latencystats\r\n" [r info latencystats]
        r config resetstat
        assert_equal {} [latency_histogram]
        r config set latency-tracking yes
        r set a b
        assert_equal 1 [dict get [latency_histogram set] set calls]
    }

    test {LATENCY HISTOGRAM errors} {
        assert_error {ERR wrong number of arguments for 'latency' command} {r latency}
        assert_error {ERR unknown subcommand 'foo'. Try LATENCY HELP.} {r latency foo}
    }

    # --- INFO latencystats --------------------------------------------

    test {INFO latencystats: one line per command with the configured percentiles} {
        r config resetstat
        r set a b
        r get a
        set line [latencystats_line set]
        assert_match {p50=*,p99=*,p99.9=*} $line
        assert {[regexp {^p50=\d+\.\d{3},p99=\d+\.\d{3},p99\.9=\d+\.\d{3}$} $line]}
        assert_match {p50=*} [latencystats_line get]
        assert_match {p50=*} [latencystats_line config|resetstat]
        # Not in the default sections; in all and everything.
        assert_no_match {*Latencystats*} [r info]
        assert_match {*# Latencystats*latency_percentiles_usec_set:*} [r info all]
        assert_match {*# Latencystats*latency_percentiles_usec_set:*} [r info everything]
        assert_no_match {*Latencystats*} [r info commandstats]
    }

    test {INFO latencystats: the section sits between Errorstats and Cluster} {
        set titles {}
        foreach l [split [r info all] "\n"] {
            if {[string match "# *" $l]} { lappend titles [string trim [string range $l 2 end]] }
        }
        set i [lsearch $titles Latencystats]
        assert_equal Errorstats [lindex $titles [expr {$i - 1}]]
        assert_equal Cluster [lindex $titles [expr {$i + 1}]]
    }

    test {INFO latencystats: percentiles are ordered and bound the samples} {
        r config resetstat
        r config set latency-tracking-info-percentiles "0 50 100"
        r debug sleep 0
        r debug sleep 0.002
        r debug sleep 0.005
        set line [latencystats_line debug]
        assert {[regexp {^p0=([\d.]+),p50=([\d.]+),p100=([\d.]+)$} $line -> p0 p50 p100]}
        assert {$p0 <= $p50 && $p50 <= $p100}
        assert_morethan_equal $p50 1900
        assert_morethan_equal $p100 4900
        r config set latency-tracking-info-percentiles "50 99 99.9"
    }

    test {latency-tracking-info-percentiles: parsing and formatting} {
        r config set latency-tracking-info-percentiles "50.0 99.00 0 100 1e1"
        assert_equal {50 99 0 100 10} [lindex [r config get latency-tracking-info-percentiles] 1]
        r config set latency-tracking-info-percentiles "0.123456789 33.3333333333"
        assert_equal {0.123457 33.333333} [lindex [r config get latency-tracking-info-percentiles] 1]
        r set a b
        assert_match {p0.123457=*,p33.333333=*} [latencystats_line set]
        r config set latency-tracking-info-percentiles "1e-5 99.99999999"
        assert_equal {0.00001 100} [lindex [r config get latency-tracking-info-percentiles] 1]
        r config set latency-tracking-info-percentiles ""
        assert_equal {} [lindex [r config get latency-tracking-info-percentiles] 1]
        assert_equal {} [latencystats_line set]
        assert_match "*\r\nlatency_percentiles_usec_set:\r\n*" [r info latencystats]
        r config set latency-tracking-info-percentiles "50 99 99.9"
    }

    test {latency-tracking-info-percentiles: errors leave the list unchanged} {
        r config set latency-tracking-info-percentiles "50 99 99.9"
        foreach bad {101 -1 inf} {
            assert_error {*latency-tracking-info-percentiles parameters should sit between \[0.0,100.0\]*} {
                r config set latency-tracking-info-percentiles $bad
            }
        }
        foreach bad {abc nan { 50} {50 } {50  99}} {
            assert_error {*Invalid latency-tracking-info-percentiles parameters*} {
                r config set latency-tracking-info-percentiles $bad
            }
        }
        assert_equal {50 99 99.9} [lindex [r config get latency-tracking-info-percentiles] 1]
        assert_error {*argument must be 'yes' or 'no'*} {r config set latency-tracking maybe}
    }

    # --- the latency monitor ------------------------------------------

    test {LATENCY: the monitor is off by default and records nothing} {
        assert_equal 0 [lindex [r config get latency-monitor-threshold] 1]
        r latency reset
        r debug sleep 0.05
        assert_equal {} [r latency latest]
        assert_equal {} [r latency history command]
    }

    test {LATENCY HISTORY and LATEST: one sample per second, worst kept} {
        r config set latency-monitor-threshold 100
        r latency reset
        r debug sleep 0.05
        assert_equal {} [r latency latest]
        r debug sleep 0.2
        after 1100
        r debug sleep 0.3
        set history [r latency history command]
        assert_equal 2 [llength $history]
        lassign [lindex $history 0] t1 l1
        lassign [lindex $history 1] t2 l2
        assert_range $l1 200 400
        assert_range $l2 300 500
        assert_morethan $t2 $t1
        assert_range $t2 [expr {[clock seconds] - 5}] [expr {[clock seconds] + 5}]
        set latest [r latency latest]
        assert_equal 1 [llength $latest]
        assert_equal [list command $t2 $l2 $l2] [lindex $latest 0]
    }

    test {LATENCY: samples within one second keep the worst of them} {
        r latency reset
        # Two spikes in a row: usually the same second (then merged).
        r debug sleep 0.25
        r debug sleep 0.15
        set history [r latency history command]
        assert {[llength $history] >= 1 && [llength $history] <= 2}
        if {[llength $history] == 1} { assert_range [lindex $history 0 1] 250 450 }
        assert_range [lindex [r latency latest] 0 3] 250 450
    }

    test {LATENCY HISTORY of an unknown event is empty; arity} {
        assert_equal {} [r latency history nosuchevent]
        assert_error {ERR wrong number of arguments for 'latency|history' command} {r latency history}
        assert_error {ERR wrong number of arguments for 'latency|latest' command} {r latency latest x}
    }

    test {LATENCY GRAPH: header, ruler and chart} {
        set graph [r latency graph command]
        set lines [split $graph "\n"]
        assert {[regexp {^command - high (\d+) ms, low (\d+) ms \(all time high (\d+) ms\)$} [lindex $lines 0] -> high low max]}
        assert {$low <= $high && $high <= $max}
        assert_equal [string repeat - 80] [lindex $lines 1]
        assert_morethan [llength $lines] 4
        assert_error {ERR No samples available for event 'nosuchevent'} {r latency graph nosuchevent}
        # The name must match exactly.
        assert_error {ERR No samples available for event 'COMMAND'} {r latency graph COMMAND}
        assert_error {ERR wrong number of arguments for 'latency|graph' command} {r latency graph}
    }

    test {LATENCY DOCTOR describes the events; RESP3 gets verbatim text} {
        set report [r latency doctor]
        assert_match {*command*} $report
        r hello 3
        set report3 [r latency doctor]
        r hello 2
        assert_match {*command*} $report3
    }

    test {LATENCY RESET: by name (any case), unknown names, everything} {
        r debug sleep 0.15
        assert_equal 0 [r latency reset nosuchevent]
        assert_equal 1 [r latency reset COMMAND]
        assert_equal {} [r latency history command]
        r debug sleep 0.15
        assert_equal 1 [r latency reset command command]
        r debug sleep 0.15
        assert_equal 1 [r latency reset]
        assert_equal 0 [r latency reset]
        assert_equal {} [r latency latest]
    }

    test {LATENCY DOCTOR without samples, enabled or not} {
        r latency reset
        assert {[string length [r latency doctor]] > 0}
        r config set latency-monitor-threshold 0
        assert {[string length [r latency doctor]] > 0}
    }

    test {LATENCY: commands under the threshold are not recorded} {
        r config set latency-monitor-threshold 200
        r latency reset
        r debug sleep 0.05
        assert_equal {} [r latency latest]
        r config set latency-monitor-threshold 0
    }

    test {LATENCY HELP} {
        set help [r latency help]
        assert_match {LATENCY <subcommand> *} [lindex $help 0]
        foreach sub {DOCTOR GRAPH HISTORY LATEST RESET HISTOGRAM HELP} {
            assert {[lsearch -glob $help "$sub*"] >= 0} "$sub missing from LATENCY HELP"
        }
        assert_error {ERR wrong number of arguments for 'latency|help' command} {r latency help x}
    }
}

# A set of 200,000 members: freeing or serializing it takes well over a
# millisecond, on Redis as on ringkv.
proc latency_big_set {key} {
    for {set b 0} {$b < 20} {incr b} {
        set members {}
        for {set i 0} {$i < 10000} {incr i} { lappend members "member:$b:$i" }
        r sadd $key {*}$members
    }
}

proc latency_events {} {
    set events {}
    foreach e [r latency latest] { lappend events [lindex $e 0] }
    return $events
}

start_server {tags {latency-monitor}} {
    test {LATENCY records the active expire cycle (expire-cycle)} {
        latency_big_set bigset
        r config set latency-monitor-threshold 1
        r latency reset
        r pexpire bigset 10
        # DBSIZE does not expire keys: the active cycle must delete it.
        wait_for_condition 100 50 {[r dbsize] == 0} else { fail "the key did not expire" }
        r config set latency-monitor-threshold 0
        assert {[lsearch [latency_events] expire-cycle] >= 0} "events: [latency_events]"
    }

    test {LATENCY records evictions (eviction-del, eviction-cycle)} {
        r flushall
        latency_big_set bigset
        r config set maxmemory-policy allkeys-random
        r config set maxmemory [expr {[s used_memory] + 100000}]
        r config set latency-monitor-threshold 1
        r latency reset
        r set filler [string repeat x 500000]
        r config set latency-monitor-threshold 0
        r config set maxmemory 0
        assert_equal 0 [r exists bigset]
        set events [latency_events]
        assert {[lsearch $events eviction-del] >= 0} "events: $events"
        assert {[lsearch $events eviction-cycle] >= 0} "events: $events"
    }
}

start_server {tags {latency-monitor ringkv-only}} {
    test {LATENCY records the snapshot's own events (snapshot-slice)} {
        # The big set is serialized in a single step of the snapshot.
        latency_big_set bigset
        r config set latency-monitor-threshold 1
        r latency reset
        r bgsave
        wait_for_condition 200 50 {[s rdb_bgsave_in_progress] == 0} else { fail "BGSAVE did not finish" }
        set events [latency_events]
        r config set latency-monitor-threshold 0
        assert {[lsearch $events snapshot-slice] >= 0} "events: $events"
    }
}
