# acl.tcl: ACL users, rules, authentication and permission checks.
#
# Covers ACL SETUSER's rule language (passwords, flags, key and channel
# patterns, commands, categories, subcommands, first arguments, selectors)
# and the canonical text ACL LIST / GETUSER give back; AUTH and HELLO AUTH
# as any user; NOPERM for commands, keys and channels, including every way
# around a rule we could think of (MULTI queued-time and EXEC-time checks,
# pipelines, SORT BY/GET patterns, commands whose keys hide in odd places);
# ACL LOG, DRYRUN, DELUSER / revocations disconnecting clients, and the
# small commands (WHOAMI USERS CAT GENPASS HELP).
#
# Every test also passes against redis-server 7.0 (a few are tagged
# ringkv-only where Redis 7.0.15 itself crashes).  Where several single
# commands appear in a rule line, Redis's order among them depends on its
# hash table seed, so those lines are compared as sorted words.

# The words of an ACL rule line, sorted (order-free comparison).
proc acl_words {line} {
    lsort [split $line " "]
}

# Reads from c and expects the server to have closed the connection.
proc acl_assert_closed {c} {
    assert_error {*closed*} {$c read}
}

# A client logged in as user (password pw).
proc acl_client_as {user pw} {
    set c [redis_client]
    $c auth $user $pw
    return $c
}

# The ACL LIST line of one user.
proc acl_line {user} {
    foreach line [r acl list] {
        if {[string match "user $user *" $line]} { return $line }
    }
    return ""
}

# The ACL LOG entries as a list of dicts.
proc acl_log {{count 10}} {
    r acl log $count
}

start_server {tags {"acl"}} {

test {The default user: on, nopass, every key, channel and command} {
    assert_equal {{user default on nopass ~* &* +@all}} [r acl list]
    assert_equal {default} [r acl users]
    assert_equal default [r acl whoami]
    set u [r acl getuser default]
    assert_equal {flags {on nopass} passwords {} commands +@all keys ~* channels &* selectors {}} $u
}

test {ACL GETUSER has Redis 7.0's fields, in order, and RESP3 map/set types} {
    r acl setuser gu1 on >p1 ~k1 %R~r* &c1 +get {(~s1 %W~s2 &sc +set)} {(allkeys +@read)}
    set u [r acl getuser gu1]
    assert_equal {flags passwords commands keys channels selectors} [dict keys $u]
    assert_equal {on} [dict get $u flags]
    assert_equal {-@all +get} [dict get $u commands]
    assert_equal {~k1 %R~r*} [dict get $u keys]
    assert_equal {&c1} [dict get $u channels]
    assert_equal [list {commands {-@all +set} keys {~s1 %W~s2} channels &sc} \
                       {commands {-@all +@read} keys ~* channels {}}] [dict get $u selectors]
    # RESP3: a map, whose flags are a set; a missing user is null.
    set c [redis_client]
    $c hello 3
    $c readraw 1
    assert_equal {%6} [$c acl getuser gu1]
    assert_equal {$5} [$c read]
    assert_equal {flags} [$c read]
    assert_equal {~1} [$c read]
    $c close
    set c [redis_client]
    $c hello 3
    $c readraw 1
    assert_equal {_} [$c acl getuser nosuchuser]
    $c close
    assert_equal {} [r acl getuser nosuchuser]
    r readraw 1
    assert_equal {$-1} [r acl getuser nosuchuser]
    r readraw 0
    r acl deluser gu1
}

test {A new user is off, without passwords or permissions; reset adds sanitize-payload} {
    r acl setuser nu1
    assert_equal {user nu1 off resetchannels -@all} [acl_line nu1]
    r acl setuser nu1 on >x ~* &* +@all reset
    assert_equal {user nu1 off sanitize-payload resetchannels -@all} [acl_line nu1]
    r acl deluser nu1
}

test {Passwords are stored as SHA-256 hex; > < # ! nopass resetpass} {
    r acl setuser pw1 >password
    assert_equal {5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8} \
        [dict get [r acl getuser pw1] passwords]
    # The same password twice is stored once; order of addition is kept.
    r acl setuser pw1 >other >password #0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    assert_equal 3 [llength [dict get [r acl getuser pw1] passwords]]
    assert_equal 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef \
        [lindex [dict get [r acl getuser pw1] passwords] end]
    r acl setuser pw1 <other !0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
    assert_equal {5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8} \
        [dict get [r acl getuser pw1] passwords]
    r acl setuser pw1 nopass
    assert_equal {off nopass} [dict get [r acl getuser pw1] flags]
    assert_equal {} [dict get [r acl getuser pw1] passwords]
    # A password turns nopass off; removing it does not turn it back on.
    r acl setuser pw1 >a <a
    assert_equal {off} [dict get [r acl getuser pw1] flags]
    r acl setuser pw1 nopass resetpass
    assert_equal {off} [dict get [r acl getuser pw1] flags]
    # The empty password is a password like any other.
    r acl setuser pw1 >
    assert_equal {e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855} \
        [dict get [r acl getuser pw1] passwords]
    r acl deluser pw1
}

test {ACL SETUSER error texts} {
    set p "ERR Error in ACL SETUSER modifier"
    assert_error "$p 'foo': Syntax error" {r acl setuser e1 foo}
    assert_error "$p '+nosuch': Unknown command or category name in ACL" {r acl setuser e1 +nosuch}
    assert_error "$p '-@nosuch': Unknown command or category name in ACL" {r acl setuser e1 -@nosuch}
    assert_error "$p '#abc': The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters" {r acl setuser e1 #abc}
    assert_error "$p '#0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF': The password hash must*" \
        {r acl setuser e1 #0123456789abcdef0123456789abcdef0123456789abcdef0123456789ABCDEF}
    assert_error "$p '!abc': The password hash must*" {r acl setuser e1 !abc}
    assert_error "$p '<nopass': The password you are trying to remove from the user does not exist" {r acl setuser e1 <nopass}
    assert_error "$p '%~x': Syntax error" {r acl setuser e1 %~x}
    assert_error "$p '%X~x': Syntax error" {r acl setuser e1 %X~x}
    assert_error "$p '%RR~x': Syntax error" {r acl setuser e1 %RR~x}
    assert_error "$p '~a b': Syntax error" {r acl setuser e1 {~a b}}
    assert_error "$p '&a b': Syntax error" {r acl setuser e1 {&a b}}
    assert_error "$p '~x': Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns" {r acl setuser e1 allkeys ~x}
    assert_error "$p '&x': Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels" {r acl setuser e1 allchannels &x}
    assert_error "$p '+get|x|y': Unknown command or category name in ACL" {r acl setuser e1 +get|x|y}
    assert_error "$p '+config|nosuch': Unknown command or category name in ACL" {r acl setuser e1 +config|nosuch}
    assert_error "$p '-select|0': Unknown command or category name in ACL" {r acl setuser e1 -select|0}
    assert_error "$p '+get|': Syntax error" {r acl setuser e1 +get|}
    assert_error "$p '+acl|help|x': Allowing first-arg of a subcommand is not supported" {r acl setuser e1 +acl|help|x}
    assert_error "ERR Unmatched parenthesis in acl selector starting at '('." {r acl setuser e1 (}
    assert_error "ERR Unmatched parenthesis in acl selector starting at '(~x'." {r acl setuser e1 on (~x +get}
    assert_error "$p '(~a) (~b)': Syntax error" {r acl setuser e1 {(~a) (~b)}}
    assert_error "ERR Usernames can't contain spaces or null characters" {r acl setuser {a b} on}
    # None of these created the user.
    assert_equal {default} [r acl users]
}

test {A refused ACL SETUSER changes nothing (rules apply atomically)} {
    r acl setuser at1 on >pw ~k* +get
    set before [r acl list]
    assert_error {*Syntax error*} {r acl setuser at1 off nopass -get ~j* foo}
    assert_equal $before [r acl list]
    r acl deluser at1
}

test {Key patterns: ~ %R~ %W~, merged when repeated, allkeys and resetkeys} {
    r acl setuser kp1 ~a ~a %R~a ~b %W~a %R~r %W~w %RW~x %rw~y %WR~z
    assert_equal {~a ~b %R~r %W~w ~x ~y ~z} [dict get [r acl getuser kp1] keys]
    # %R~* is a pattern, not allkeys; only ~* (or allkeys) clears the list.
    r acl setuser kp1 resetkeys %R~* %W~* %RW~*
    assert_equal {~*} [dict get [r acl getuser kp1] keys]
    assert_equal {user kp1 off ~* resetchannels -@all} [acl_line kp1]
    r acl setuser kp1 ~*
    assert_equal {user kp1 off ~* resetchannels -@all} [acl_line kp1]
    r acl setuser kp1 resetkeys %R
    assert_equal {user kp1 off %R~ resetchannels -@all} [acl_line kp1]
    r acl deluser kp1
}

test {Channel patterns: &, allchannels, resetchannels} {
    r acl setuser ch1 &a &a &b
    assert_equal {&a &b} [dict get [r acl getuser ch1] channels]
    r acl setuser ch1 allchannels
    assert_equal {&*} [dict get [r acl getuser ch1] channels]
    assert_equal {user ch1 off &* -@all} [acl_line ch1]
    r acl setuser ch1 resetchannels &x
    assert_equal {user ch1 off resetchannels &x -@all} [acl_line ch1]
    r acl deluser ch1
}

test {Command rules come back in Redis's canonical form} {
    foreach {rules expected} {
        {+get}                               {-@all +get}
        {+GET}                               {-@all +get}
        {+@all}                              {+@all}
        {allcommands}                        {+@all}
        {+@all -get}                         {+@all -get}
        {+@read -get +get}                   {-@all +@read}
        {+config +config|get}                {-@all +config}
        {+config|get +config}                {-@all +config}
        {+config|get -config}                {-@all}
        {-@all +config|get +config|set -config|get} {-@all +config|set}
        {+select|0}                          {-@all +select|0}
        {+select|0 +select|1 +select}        {-@all +select}
        {+@read +@read}                      {-@all +@read}
        {+@READ}                             {-@all +@read}
        {+@all -@dangerous +@dangerous}      {+@all}
        {nocommands +get}                    {-@all +get}
        {+get nocommands}                    {-@all}
        {+@all +get}                         {+@all}
        {-get}                               {-@all}
        {+acl|GETUSER}                       {-@all +acl|getuser}
        {+client|kill +client}               {-@all +client}
        {+@all -config|get}                  {+@all -config|get}
        {+@admin -config|set}                {-@all +@admin -config|set}
        {+@string +@hash}                    {-@all +@string +@hash}
        {+@hash +@string}                    {-@all +@string +@hash}
        {+@all -@string -@hash}              {+@all -@string -@hash}
        {+@all -@read +get}                  {+@all -@read +get}
        {+@read +@write -get}                {-@all +@write +@read -get}
    } {
        r acl setuser cr1 reset {*}$rules
        assert_equal $expected [dict get [r acl getuser cr1] commands] "rules: $rules"
    }
    # Several single commands: compared without their order.
    r acl setuser cr1 reset +get +set +incr +lpush
    assert_equal [acl_words {-@all +get +set +incr +lpush}] [acl_words [dict get [r acl getuser cr1] commands]]
    r acl setuser cr1 reset -@all +@string -@write
    assert_equal [acl_words {-@all +mget +get +lcs +getrange +substr +strlen}] \
        [acl_words [dict get [r acl getuser cr1] commands]]
    r acl setuser cr1 reset +select|ABC +select|abc +select|Def
    assert_equal [acl_words {-@all +select|ABC +select|Def}] [acl_words [dict get [r acl getuser cr1] commands]]
    r acl deluser cr1
}

test {Selectors: spread over arguments, appended, cleared} {
    r acl setuser sel1 reset (~a ) ( ) {(~x +get} {&y)}
    assert_equal {user sel1 off sanitize-payload resetchannels -@all (~a resetchannels -@all) (resetchannels -@all) (~x resetchannels &y -@all +get)} \
        [acl_line sel1]
    r acl setuser sel1 clearselectors (~a)(~b)
    assert_equal {user sel1 off sanitize-payload resetchannels -@all (~a)(~b resetchannels -@all)} \
        [acl_line sel1]
    r acl deluser sel1
}

test {acl-pubsub-default decides the channels of new users and selectors} {
    assert_equal {acl-pubsub-default resetchannels} [r config get acl-pubsub-default]
    r config set acl-pubsub-default allchannels
    r acl setuser pd1 on (~x)
    assert_equal {user pd1 on &* -@all (~x &* -@all)} [acl_line pd1]
    r acl setuser pd1 reset
    assert_equal {user pd1 off sanitize-payload &* -@all} [acl_line pd1]
    r config set acl-pubsub-default resetchannels
    # Existing users keep what they have.
    assert_equal {user pd1 off sanitize-payload &* -@all} [acl_line pd1]
    assert_error "ERR CONFIG SET failed (possibly related to argument 'acl-pubsub-default') - argument(s) must be one of the following: allchannels, resetchannels" \
        {r config set acl-pubsub-default foo}
    r acl deluser pd1
}

test {Users are listed sorted by name; empty name is a user too} {
    r acl setuser zed
    r acl setuser abe
    r acl setuser Bob
    r acl setuser ""
    assert_equal {{} Bob abe default zed} [r acl users]
    r acl deluser zed abe Bob ""
}

test {AUTH as a user: one and two arguments, WRONGPASS, disabled users, nopass} {
    r acl setuser au1 on >pw1 >pw2 +@all ~*
    set c [redis_client]
    assert_equal OK [$c auth au1 pw1]
    assert_equal au1 [$c acl whoami]
    assert_equal OK [$c auth au1 pw2]
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth au1 nope}
    assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth nosuch pw1}
    # A failed AUTH keeps the previous login.
    assert_equal au1 [$c acl whoami]
    assert_error "ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?" {$c auth pw1}
    assert_error "ERR syntax error" {$c auth a b c}
    # Disabled: refused, but connections already logged in stay.
    r acl setuser au1 off
    assert_error "WRONGPASS*" {[redis_client] auth au1 pw1}
    assert_equal au1 [$c acl whoami]
    assert_equal PONG [$c ping]
    # nopass accepts anything.
    r acl setuser au1 on nopass
    assert_equal OK [[redis_client] auth au1 whatever]
    # HELLO AUTH.
    set h [redis_client]
    assert_error "WRONGPASS*" {$h hello 2 auth nosuch x}
    set reply [$h hello 3 auth au1 x]
    assert_equal 3 [dict get $reply proto]
    assert_equal au1 [$h acl whoami]
    r acl deluser au1
}

test {CLIENT LIST shows the user; CLIENT KILL USER} {
    r acl setuser cl1 on nopass +@all ~*
    set c [acl_client_as cl1 x]
    $c client setname victim
    assert_match "*name=victim*user=cl1*" [r client list]
    assert_match "*user=default*" [r client info]
    assert_error "ERR No such user 'nosuch'" {r client kill user nosuch}
    assert_equal 1 [r client kill user cl1]
    acl_assert_closed $c
    assert_equal 0 [r client kill user cl1]
    r acl deluser cl1
}

test {NOPERM texts for a command, a key and a channel} {
    r acl setuser np1 on nopass ~k* &ch +get +publish +config|get
    set c [acl_client_as np1 x]
    assert_error "NOPERM this user has no permissions to run the 'lpush' command" {$c lpush k1 a}
    assert_error "NOPERM this user has no permissions to run the 'config|set' command" {$c config set maxmemory 0}
    assert_error "NOPERM this user has no permissions to access one of the keys used as arguments" {$c get x}
    assert_error "NOPERM this user has no permissions to access one of the channels used as arguments" {$c publish other m}
    assert_equal {} [$c get k1]
    assert_equal 0 [$c publish ch m]
    assert_equal {maxmemory 0} [$c config get maxmemory]
    # AUTH and HELLO are never denied: a user can always log in as another.
    r acl setuser np1 -@all
    assert_equal OK [$c auth np1 x]
    assert_equal redis [dict get [$c hello 2] server]
    r acl deluser np1
}

test {Read and write key permissions follow the command's key specs} {
    r acl setuser rw1 on nopass %R~r* %W~w* ~b* +@all
    set c [acl_client_as rw1 x]
    r set r1 v
    assert_equal v [$c get r1]
    assert_error "NOPERM*keys*" {$c set r1 v}
    assert_equal OK [$c set w1 v]
    assert_error "NOPERM*keys*" {$c get w1}
    # Reading a value out through a write: needs both.
    assert_error "NOPERM*keys*" {$c getdel w1}
    assert_error "NOPERM*keys*" {$c set w1 v get}
    assert_error "NOPERM*keys*" {$c incr w1}
    # APPEND inserts without reading: write access is enough.
    assert_equal 2 [$c append w1 x]
    # Commands that touch a key without reading its value.
    assert_equal 1 [$c exists w1]
    assert_equal string [$c type w1]
    assert_equal 1 [$c del w1]
    assert_error "NOPERM*keys*" {$c del r1}
    # Source read, destination written.
    assert_equal 1 [$c copy r1 w2]
    assert_error "NOPERM*keys*" {$c copy w2 r2}
    assert_error "NOPERM*keys*" {$c rename r1 w3}
    assert_error "NOPERM*keys*" {$c sunionstore r1 r2 r3}
    $c set b1 x
    assert_equal x [$c getdel b1]
    r del r1 w2
    r acl deluser rw1
}

test {Keys hidden in odd places are still checked} {
    r acl setuser hk1 on nopass ~k* &* +@all
    set c [acl_client_as hk1 x]
    foreach cmd {
        {object encoding x}  {dump x}  {restore x 0 payload}  {copy k1 x}  {rename k1 x}
        {memory usage x}  {bitop and k1 x}  {lmove k1 x left left}  {zunionstore k1 2 k2 x}
        {mset k1 v x v}  {del k1 k2 x}  {touch x}  {exists x}  {sort k1 store x}
        {lmpop 2 k1 x left}  {zrangestore k1 x 0 -1}  {smove k1 x m}  {blpop k1 x 0}
    } {
        assert_error "NOPERM*keys*" {$c {*}$cmd} "command: $cmd"
    }
    # Commands without key arguments are not affected.
    assert_match {[0-9]*} [$c dbsize]
    r acl deluser hk1
}

test {Channels: SUBSCRIBE and PUBLISH match patterns, PSUBSCRIBE must match literally} {
    r acl setuser ps1 on nopass &news.* &chat +@all
    set c [acl_client_as ps1 x]
    assert_equal {psubscribe news.* 1} [$c psubscribe news.*]
    assert_equal {subscribe news.x 2} [$c subscribe news.x]
    assert_equal {subscribe news.* 3} [$c subscribe news.*]
    assert_equal {psubscribe chat 4} [$c psubscribe chat]
    assert_error "NOPERM*channels*" {$c psubscribe news.a*}
    assert_error "NOPERM*channels*" {$c subscribe other}
    # The refused channel is not subscribed even when listed with allowed ones.
    assert_error "NOPERM*channels*" {$c subscribe chat other}
    $c close
    set c [acl_client_as ps1 x]
    assert_error "NOPERM*channels*" {$c publish other x}
    assert_equal 0 [$c spublish chat x]
    assert_error "NOPERM*channels*" {$c spublish other x}
    assert_equal {ssubscribe news.y 1} [$c ssubscribe news.y]
    assert_error "NOPERM*channels*" {$c ssubscribe other}
    $c close
    set c [acl_client_as ps1 x]
    # Unsubscribing and PUBSUB introspection name no channel to protect.
    assert_equal {unsubscribe zz 0} [$c unsubscribe zz]
    $c close
    set c [acl_client_as ps1 x]
    assert_equal {} [$c pubsub channels]
    r acl deluser ps1
}

test {First-argument rules: +select|0} {
    r acl setuser fa1 on nopass -@all +select|0 +client|id
    set c [acl_client_as fa1 x]
    assert_equal OK [$c select 0]
    assert_error "NOPERM this user has no permissions to run the 'select' command" {$c select 1}
    assert_error "NOPERM this user has no permissions to run the 'client|list' command" {$c client list}
    assert_match {[0-9]*} [$c client id]
    r acl deluser fa1
}

test {Selectors: any one selector may allow the command} {
    r acl setuser so1 on nopass ~k* +get {(%W~w* +set)}
    set c [acl_client_as so1 x]
    assert_equal OK [$c set w1 v]
    assert_equal {} [$c get k1]
    # Neither selector allows both the command and the key.
    assert_error "NOPERM*keys*" {$c set k1 v}
    assert_error "NOPERM*keys*" {$c get w1}
    r acl deluser so1
}

test {Inside MULTI a refused command dooms the transaction} {
    r acl setuser mu1 on nopass ~k* +@all
    set c [acl_client_as mu1 x]
    $c multi
    assert_equal QUEUED [$c set k1 1]
    assert_error "NOPERM*keys*" {$c set x 1}
    assert_error "EXECABORT Transaction discarded because of previous errors." {$c exec}
    assert_equal 0 [r exists k1 x]
    # EXEC itself refused.
    r acl setuser mu1 -exec
    $c multi
    $c set k1 1
    assert_error "EXECABORT Transaction discarded because of: NOPERM this user has no permissions to run the 'exec' command" {$c exec}
    assert_equal 0 [r exists k1]
    r acl deluser mu1
}

test {EXEC re-checks every queued command against the rules of that moment} {
    r acl setuser mu2 reset on nopass ~* &* +@all
    set c [acl_client_as mu2 x]
    set why "NOPERM ACLs rules changed between the moment the transaction was accumulated and the EXEC call. This command is no longer allowed for the following reason:"
    $c multi
    $c set a 1
    $c get a
    $c publish c x
    $c ping
    r acl setuser mu2 -set resetchannels resetkeys ~b
    $c readraw 1
    assert_equal {*4} [$c exec]
    assert_equal "-$why no permission to execute the command or subcommand" [$c read]
    assert_equal "-$why no permission to touch the specified keys" [$c read]
    assert_equal "-$why no permission to access one of the channels used as arguments" [$c read]
    assert_equal {+PONG} [$c read]
    $c readraw 0
    assert_equal 0 [r exists a]
    set log [lindex [acl_log 1] 0]
    assert_equal {channel multi c mu2} [list [dict get $log reason] [dict get $log context] \
        [dict get $log object] [dict get $log username]]
    assert_match "*cmd=exec user=mu2*" [dict get $log client-info]
    r acl deluser mu2
}

test {Pipelined commands are checked one by one} {
    r acl setuser pi1 on nopass ~k* +@all
    set c [redis_client]
    $c write "*3\r\n\$4\r\nAUTH\r\n\$3\r\npi1\r\n\$1\r\nx\r\n*3\r\n\$3\r\nSET\r\n\$2\r\nk1\r\n\$1\r\n1\r\n*3\r\n\$3\r\nSET\r\n\$1\r\nx\r\n\$1\r\n1\r\n*2\r\n\$3\r\nGET\r\n\$2\r\nk1\r\n"
    $c flush
    assert_equal OK [$c read]
    assert_equal OK [$c read]
    assert_error "NOPERM*keys*" {$c read}
    assert_equal 1 [$c read]
    assert_equal 0 [r exists x]
    r del k1
    r acl deluser pi1
}

test {SORT BY and GET patterns need read access to every key} {
    r rpush klist 3 1 2
    r acl setuser so2 on nopass ~k* +@all
    r acl setuser so3 on nopass %R~* +@all
    r acl setuser so4 on nopass %W~* %R~k* +@all
    r acl setuser so5 on nopass ~k* +@all {(%R~* +sort)}
    set c [acl_client_as so2 x]
    assert_error "ERR BY option of SORT denied due to insufficient ACL permissions." {$c sort klist by w_*}
    assert_error "ERR GET option of SORT denied due to insufficient ACL permissions." {$c sort klist get #}
    assert_error "ERR GET option of SORT denied due to insufficient ACL permissions." {$c sort_ro klist get *}
    # BY without '*' reads no key.
    assert_equal {3 1 2} [$c sort klist by nosort]
    assert_equal {1 2 3} [$c sort klist]
    $c auth so3 x
    assert_equal {1 2 3} [$c sort klist by w_*]
    assert_equal {1 2 3} [$c sort klist get #]
    $c auth so4 x
    assert_error "ERR BY option*" {$c sort klist by w_*}
    # A selector that allows SORT and reads everything is enough.
    $c auth so5 x
    assert_equal {1 2 3} [$c sort klist get #]
    # ... unless STORE needs a write the reading selector lacks.
    assert_error "ERR GET option*" {$c sort klist store kout get #}
    r del klist kout
    r acl deluser so2 so3 so4 so5
}

test {ACL LOG records denials and failed logins, newest first} {
    r acl log reset
    r acl setuser lg1 on >pw ~k* &ch +get +multi
    set c [acl_client_as lg1 pw]
    catch {$c get x}
    catch {$c lpush k1 a}
    catch {$c auth lg1 wrong}
    catch {$c auth nosuch pw}
    $c multi
    catch {$c get y}
    set log [acl_log]
    assert_equal 5 [llength $log]
    set e [lindex $log 0]
    assert_equal {count reason context object username age-seconds client-info} [dict keys $e]
    assert_equal {1 key multi y lg1} [list [dict get $e count] [dict get $e reason] [dict get $e context] \
        [dict get $e object] [dict get $e username]]
    assert_match "*cmd=get user=lg1*" [dict get $e client-info]
    set e [lindex $log 1]
    assert_equal {auth toplevel auth nosuch} [list [dict get $e reason] [dict get $e context] \
        [dict get $e object] [dict get $e username]]
    set e [lindex $log 2]
    assert_equal {auth auth lg1} [list [dict get $e reason] [dict get $e object] [dict get $e username]]
    set e [lindex $log 4]
    assert_equal {key x lg1} [list [dict get $e reason] [dict get $e object] [dict get $e username]]
    set e [lindex $log 3]
    assert_equal {command lpush lg1} [list [dict get $e reason] [dict get $e object] [dict get $e username]]
    assert_equal 1 [llength [acl_log 1]]
    assert_equal {} [acl_log 0]
    assert_equal {} [acl_log -1]
    assert_error "ERR value is not an integer or out of range" {r acl log x}
    assert_error "ERR unknown subcommand or wrong number of arguments for 'log'. Try ACL HELP." {r acl log 1 2}
    assert_equal OK [r acl log reset]
    assert_equal {} [acl_log]
    r acl deluser lg1
}

test {ACL LOG groups repeats of the same event and moves them first} {
    r acl log reset
    r acl setuser lg2 on nopass ~k* +get
    set c [acl_client_as lg2 x]
    catch {$c get x}
    catch {$c get y}
    catch {$c get x}
    catch {$c get x}
    set log [acl_log]
    assert_equal 2 [llength $log]
    assert_equal {3 x} [list [dict get [lindex $log 0] count] [dict get [lindex $log 0] object]]
    assert_equal {1 y} [list [dict get [lindex $log 1] count] [dict get [lindex $log 1] object]]
    # AUTH failures are logged with the command as typed as the object.
    catch {$c HeLLo 2 auth lg2x y}
    assert_equal {HeLLo lg2x} [list [dict get [lindex [acl_log] 0] object] [dict get [lindex [acl_log] 0] username]]
    r acl deluser lg2
}

test {ACL LOG is trimmed to acllog-max-len} {
    r acl log reset
    r config set acllog-max-len 3
    r acl setuser lg3 on nopass ~k* +get
    set c [acl_client_as lg3 x]
    foreach k {a b c d e} { catch {$c get $k} }
    set log [acl_log]
    assert_equal {e d c} [list [dict get [lindex $log 0] object] [dict get [lindex $log 1] object] \
        [dict get [lindex $log 2] object]]
    r config set acllog-max-len 128
    r acl deluser lg3
}

test {ACL DRYRUN tells what a user could run, without running it or logging} {
    r acl log reset
    r acl setuser dr1 on nopass ~k* &c* +get +publish +subscribe +config|get {(%W~w* +set)}
    assert_equal OK [r acl dryrun dr1 get k1]
    assert_equal {This user has no permissions to access the 'x' key} [r acl dryrun dr1 get x]
    assert_equal {This user has no permissions to access the 'k1' key} [r acl dryrun dr1 set k1 v]
    assert_equal OK [r acl dryrun dr1 set wdry v]
    assert_equal {This user has no permissions to access the 'd1' channel} [r acl dryrun dr1 subscribe c1 d1 e1]
    assert_equal {This user has no permissions to run the 'config|set' command} [r acl dryrun dr1 config set x y]
    assert_equal {This user has no permissions to run the 'ping' command} [r acl dryrun dr1 ping]
    assert_equal OK [r acl dryrun dr1 auth x y]
    assert_error "ERR User 'nouser' not found" {r acl dryrun nouser get x}
    assert_error "ERR Command 'nosuch' not found" {r acl dryrun dr1 nosuch}
    assert_error "ERR Command 'config' not found" {r acl dryrun dr1 config nosuch}
    assert_error "ERR wrong number of arguments for 'get' command" {r acl dryrun dr1 get}
    assert_error "ERR wrong number of arguments for 'config' command" {r acl dryrun dr1 config}
    assert_equal {} [acl_log]
    assert_equal 0 [r exists wdry]
    r acl deluser dr1
}

test {ACL DELUSER: default cannot go, others disconnect their clients} {
    assert_error "ERR The 'default' user cannot be removed" {r acl deluser default}
    assert_error "ERR The 'default' user cannot be removed" {r acl deluser nosuch default}
    assert_equal 0 [r acl deluser nosuch]
    r acl setuser du1 on nopass +@all ~*
    set c [acl_client_as du1 x]
    assert_equal 1 [r acl deluser du1 du1 nosuch]
    acl_assert_closed $c
    # Deleting one's own user: the reply arrives, then the connection closes.
    r acl setuser du1 on nopass +@all ~*
    set c [acl_client_as du1 x]
    $c readraw 1
    $c write "*3\r\n\$3\r\nACL\r\n\$7\r\nDELUSER\r\n\$3\r\ndu1\r\n*1\r\n\$4\r\nPING\r\n"
    $c flush
    assert_equal {:1} [$c read]
    acl_assert_closed $c
    # Inside a transaction: the replies stop right after DELUSER's.
    r acl setuser du1 on nopass +@all ~*
    set c [acl_client_as du1 x]
    $c multi
    $c acl deluser du1
    $c ping
    $c readraw 1
    assert_equal {*2} [$c exec]
    assert_equal {:1} [$c read]
    acl_assert_closed $c
}

test {Revoking channels disconnects the subscribers that lose one} {
    r acl setuser rv1 on nopass &a* &b +@all
    set c [acl_client_as rv1 x]
    $c subscribe b
    # Adding a channel revokes nothing.
    r acl setuser rv1 &c
    assert_equal {pong {}} [$c ping]
    r acl setuser rv1 resetchannels &a*
    acl_assert_closed $c
    # A pattern subscription survives only a literal copy of its rule.
    r acl setuser rv1 resetchannels &a* &b
    set c [acl_client_as rv1 x]
    $c psubscribe a*
    r acl setuser rv1 resetchannels &b {(&a*)}
    assert_equal {pong {}} [$c ping]
    r acl setuser rv1 clearselectors resetchannels &a*x &b
    acl_assert_closed $c
    # Losing allchannels counts too.
    r acl setuser rv1 allchannels
    set c [acl_client_as rv1 x]
    $c subscribe b
    r acl setuser rv1 resetchannels &a
    acl_assert_closed $c
    # Shard channels.
    r acl setuser rv1 resetchannels &b
    set c [acl_client_as rv1 x]
    $c ssubscribe b
    r acl setuser rv1 resetchannels &a
    acl_assert_closed $c
    r acl deluser rv1
}

test {A subscriber that revokes its own channel gets its reply, then is closed} {
    r acl setuser rv2 on nopass &b +@all
    set c [redis_client]
    $c hello 3 auth rv2 x
    $c subscribe b
    assert_equal OK [$c acl setuser rv2 resetchannels]
    acl_assert_closed $c
    r acl deluser rv2
} {ringkv-only}

test {Password and permission changes do not disconnect logged-in clients} {
    r acl setuser pc1 on >pw ~* +@all
    set c [acl_client_as pc1 pw]
    r acl setuser pc1 resetpass >new off
    assert_equal PONG [$c ping]
    r acl setuser pc1 -ping
    assert_error "NOPERM*'ping'*" {$c ping}
    r acl deluser pc1
}

test {The default user: a password makes new connections authenticate} {
    r acl setuser default >secret
    set c [redis_client]
    assert_error "NOAUTH Authentication required." {$c ping}
    assert_equal OK [$c auth secret]
    assert_equal default [$c acl whoami]
    # RESET logs out again.
    assert_equal RESET [$c reset]
    assert_error "NOAUTH*" {$c ping}
    # Connections that were already in stay in.
    assert_equal PONG [r ping]
    r acl setuser default nopass
    assert_equal PONG [$c ping]
    # Disabled default user: new connections cannot run anything.
    r acl setuser default off
    set d [redis_client]
    assert_error "NOAUTH*" {$d ping}
    assert_error "WRONGPASS*" {$d auth default x}
    r acl setuser default on
    assert_equal PONG [$d ping]
}

test {requirepass is the default user's password} {
    r config set requirepass foo
    assert_equal {user default on #2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae ~* &* +@all} \
        [acl_line default]
    set c [redis_client]
    assert_error "NOAUTH*" {$c ping}
    assert_equal OK [$c auth foo]
    # requirepass shows what was set, even after ACL changes.
    r acl setuser default resetpass >bar
    assert_equal {requirepass foo} [r config get requirepass]
    # Setting the same value again, or a CONFIG SET that fails as a whole,
    # leaves the passwords ACL SETUSER gave alone.
    r config set requirepass foo
    assert_error "*argument must be a memory value*" {r config set requirepass baz maxmemory bad}
    assert_equal {user default on #fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9 ~* &* +@all} \
        [acl_line default]
    r config set requirepass ""
    assert_equal {user default on nopass ~* &* +@all} [acl_line default]
}

test {ACL CAT, GENPASS, WHOAMI, USERS, HELP} {
    set cats [r acl cat]
    assert_equal {keyspace read write set sortedset list hash string bitmap hyperloglog geo stream pubsub admin fast slow blocking dangerous connection transaction scripting} $cats
    set conn [r acl cat connection]
    foreach cmd {ping auth hello client|kill select} { assert {[lsearch $conn $cmd] >= 0} }
    assert {[lsearch $conn get] < 0}
    assert_equal [lsort [r acl cat connection]] [lsort [r acl cat CONNECTION]]
    assert_error "ERR Unknown category 'nosuch'" {r acl cat nosuch}
    assert_error "ERR unknown subcommand or wrong number of arguments for 'cat'. Try ACL HELP." {r acl cat a b}
    assert_match {[0-9a-f]*} [r acl genpass]
    assert_equal 64 [string length [r acl genpass]]
    assert_equal 1 [string length [r acl genpass 1]]
    assert_equal 2 [string length [r acl genpass 5]]
    assert_equal 1024 [string length [r acl genpass 4096]]
    assert_not_equal [r acl genpass] [r acl genpass]
    foreach bad {0 -1 4097} {
        assert_error "ERR ACL GENPASS argument must be the number of bits for the output password, a positive number up to 4096" {r acl genpass $bad}
    }
    assert_error "ERR value is not an integer or out of range" {r acl genpass abc}
    assert_error "ERR wrong number of arguments for 'acl|whoami' command" {r acl whoami x}
    assert_error "ERR unknown subcommand 'FOO'. Try ACL HELP." {r acl FOO}
    set help [r acl help]
    assert_match "ACL <subcommand> *" [lindex $help 0]
    foreach sub {CAT DELUSER DRYRUN GETUSER GENPASS LIST LOAD LOG SAVE SETUSER USERS WHOAMI HELP} {
        assert {[lsearch -glob $help "$sub*"] >= 0}
    }
}

test {ACL LOAD and ACL SAVE without an aclfile} {
    set msg "ERR This Redis instance is not configured to use an ACL file. You may want to specify users via the ACL SETUSER command and then issue a CONFIG REWRITE (assuming you have a Redis configuration file set) in order to store users in the Redis configuration."
    assert_error $msg {r acl load}
    assert_error $msg {r acl save}
    assert_equal {aclfile {}} [r config get aclfile]
    assert_error "ERR CONFIG SET failed (possibly related to argument 'aclfile') - can't set immutable config" {r config set aclfile /tmp/x}
}

}
