# utils/resp.tcl -- the blocking, pipelining RESP client the utils scripts
# share (snapshot-bigvalue.tcl, eviction-hitrate.tcl).
#
# Why not tests/support/client.tcl: that one waits for every reply through
# the event loop with the test framework's deadline, which is right for a
# test and wrong for a script that times round trips or pipelines millions
# of commands.  Here a reply is read straight off a blocking channel opened
# with `-translation binary`; a RESP error raises, a null bulk comes back as
# the list {nil}.

proc encode {args} {
    set s "*[llength $args]\r\n"
    foreach a $args { append s "\$[string length $a]\r\n$a\r\n" }
    return $s
}

proc readReply {fd} {
    set line [string range [gets $fd] 0 end-1] ;# drop the \r
    set type [string index $line 0]
    set rest [string range $line 1 end]
    switch -- $type {
        + - : { return $rest }
        - { error $rest }
        $ {
            if {$rest < 0} { return {nil} }
            set data [read $fd [expr {$rest + 2}]]
            return [string range $data 0 end-2]
        }
        * {
            set items {}
            for {set i 0} {$i < $rest} {incr i} { lappend items [readReply $fd] }
            return $items
        }
        default { error "protocol error: '$line'" }
    }
}

proc call {fd args} {
    puts -nonewline $fd [encode {*}$args]
    flush $fd
    return [readReply $fd]
}
