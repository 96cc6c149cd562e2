#!/usr/bin/env tclsh
# utils/difftest.tcl -- long differential runs: ringkv against Debian's
# redis-server, the same seeded command stream to both, every reply compared
# (tests/support/difftest.tcl has the generator and the rules).
#
#   tclsh utils/difftest.tcl [--count 1000000] [--seed 1] [--seeds 4]
#                            [--scenarios 75] [--batch 100]
#                            [--server src/ringkv-server] [--reference redis-server]
#                            [--ports 7410,7411]
#
# --count is per seed.  --scenarios is the percentage of units that are
# multi-connection scenarios (pub/sub, MULTI, WATCH) rather than batches of
# up to --batch pipelined commands.
#
# Starts both servers on free loopback ports in a scratch directory, runs,
# stops them, and prints "N commands (S in scenarios), P messages compared,
# M differences"; exit code 1 on any difference.
set here [file dirname [file normalize [info script]]]
set top [file dirname $here]
source [file join $top tests support difftest.tcl]

array set opt [list --count 1000000 --seed 1 --seeds 1 --scenarios 75 --batch 100 \
                   --server [file join $top src ringkv-server] --reference redis-server]
array set opt $argv

proc free_port {} {
    for {set i 0} {$i < 100} {incr i} {
        set p [expr {20000 + int(rand() * 30000)}]
        if {![catch {socket -server {apply {{s a p} {close $s}}} -myaddr 127.0.0.1 $p} s]} { close $s; return $p }
    }
    error "no free port"
}
proc start {bin port dir} {
    file mkdir $dir
    set pid [exec $bin --port $port --bind 127.0.0.1 --save "" --dir $dir >& [file join $dir log] &]
    for {set i 0} {$i < 500} {incr i} {
        if {![catch {socket 127.0.0.1 $port} s]} { close $s; return $pid }
        after 10
    }
    error "server $bin did not start"
}
set scratch [file join /tmp difftest.[pid]]
# --ports A,B picks the two ports (a shared machine may reserve a range).
if {[info exists opt(--ports)]} {
    lassign [split $opt(--ports) ,] pa pb
} else {
    set pa [free_port]; set pb [free_port]
}
set pida [start $opt(--server) $pa $scratch/a]
set pidb [start $opt(--reference) $pb $scratch/b]
set total 0
set in_scenarios 0
set messages 0
set diffs 0
set started [clock seconds]
try {
    for {set s 0} {$s < $opt(--seeds)} {incr s} {
        set seed [expr {$opt(--seed) + $s}]
        set d [difftest::run 127.0.0.1 $pa 127.0.0.1 $pb -seed $seed -count $opt(--count) -verbose 1 \
                   -scenarios $opt(--scenarios) -batch $opt(--batch)]
        incr diffs $d
        incr total $difftest::stats(commands)
        incr in_scenarios $difftest::stats(scenario_cmds)
        incr messages $difftest::stats(messages)
        puts "seed $seed: $difftest::stats(commands) commands ($difftest::stats(scenario_cmds) in\
              $difftest::stats(scenarios) scenarios), $difftest::stats(messages) messages, $d differences"
        flush stdout
    }
} finally {
    catch {exec kill $pida}
    catch {exec kill $pidb}
    after 200
    file delete -force $scratch
}
puts "$total commands ($in_scenarios in scenarios), $messages messages compared,\
      $diffs differences, [expr {[clock seconds] - $started}] s"
exit [expr {$diffs > 0}]
