# acl-file.tcl: where ACL users come from and go to.
#
# The aclfile (loaded at start-up, ACL LOAD, ACL SAVE, and what happens to
# clients of users an ACL LOAD replaces), `user` lines in the configuration
# (checked while parsing, created at start-up, written back by CONFIG
# REWRITE), and the start-up failures Redis has for each mistake.

# Runs the server binary with args until it exits (for configurations that
# must be refused); returns {status output}.
proc aclf_run_server {args} {
    set code [catch {exec timeout 10 $::rkv::server_bin {*}$args 2>@1} out opts]
    if {$code == 0} { return [list 0 $out] }
    set ec [dict get $opts -errorcode]
    if {[lindex $ec 0] eq "CHILDSTATUS"} { return [list [lindex $ec 2] $out] }
    return [list -1 $out]
}

# Writes a config file with the given lines in a fresh directory; returns
# its path.
proc aclf_conf {lines} {
    set dir [tmpdir aclconf]
    set path [file join $dir test.conf]
    ::rkv::write_file $path "save \"\"\nport [::rkv::find_free_port]\n[join $lines \n]\n"
    return $path
}

proc aclf_assert_closed {c} {
    assert_error {*closed*} {$c read}
}

set aclf_dir [tmpdir aclfile]
set aclf_path [file join $aclf_dir users.acl]
::rkv::write_file $aclf_path "user alice on >pw ~* +@all\nuser default on nopass ~* &* +@all\n"

start_server [list tags {acl} overrides [list aclfile $aclf_path]] {

test {Users are loaded from the aclfile at start-up} {
    assert_equal [list {user alice on #30c952fab122c3f9759f02a6d95c3758b246b4fee239957b2d4fee46e26170c4 ~* resetchannels +@all} \
                       {user default on nopass ~* &* +@all}] [r acl list]
    assert_equal [list aclfile $aclf_path] [r config get aclfile]
    set c [redis_client]
    assert_equal OK [$c auth alice pw]
    $c close
}

test {ACL SAVE writes every user as its ACL LIST line, sorted by name} {
    r acl setuser bob on >x %R~r* &c (+get ~g*) +@read
    r acl setuser aaron
    assert_equal OK [r acl save]
    set lines [split [string trimright [::rkv::read_file $aclf_path] "\n"] "\n"]
    assert_equal [r acl list] $lines
    assert_equal {aaron alice bob default} [lmap l $lines {lindex [split $l " "] 1}]
}

test {ACL LOAD replaces the users and disconnects clients of the old ones} {
    set alice [redis_client]
    $alice auth alice pw
    set deflt [redis_client]
    assert_equal PONG [$deflt ping]
    ::rkv::write_file $aclf_path "user alice on >pw ~* +@all\nuser carol on nopass ~c* +@all\nuser default on nopass ~* &* +@all\n"
    assert_equal OK [r acl load]
    assert_equal {alice carol default} [r acl users]
    # alice still exists, but as a new user: her connections are closed.
    aclf_assert_closed $alice
    # The default user is changed in place: its connections stay.
    assert_equal PONG [$deflt ping]
    # The caller of ACL LOAD gets its reply before going.
    set c [redis_client]
    $c auth carol x
    $c readraw 1
    assert_equal {+OK} [$c acl load]
    aclf_assert_closed $c
}

test {ACL LOAD without a default user line restores the stock default user} {
    r acl setuser default >pw
    ::rkv::write_file $aclf_path "user alice on >pw ~* +@all\n"
    set c [redis_client]
    $c auth pw
    assert_equal OK [$c acl load]
    assert_equal {user default on nopass ~* &* +@all} [lindex [r acl list] end]
    $c close
}

test {ACL LOAD errors change nothing} {
    set before [r acl list]
    set w "WARNING: ACL errors detected, no change to the previously active ACL rules was performed"
    set cases [list \
        "user alice on >pw foo\n"  "ERR $aclf_path:1: Syntax error. $w" \
        "usr alice on\n"           "ERR $aclf_path:1 should start with user keyword followed by the username. $w" \
        "# comment\nuser x on\n"   "ERR $aclf_path:1 should start with user keyword followed by the username. $w" \
        "user a on\nuser a off\n"  "ERR WARNING: Duplicate user 'a' found on line 2. $w" \
        "user a on +nosuch\nuser b on +@nosuch\n" "ERR $aclf_path:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. $aclf_path:2: Error in applying operation '+@nosuch': Unknown command or category name in ACL. $w" \
        "user a on foo bar +nosuch\n" "ERR $aclf_path:1: Syntax error. $aclf_path:1: Error in applying operation '+nosuch': Unknown command or category name in ACL. $w" \
        "user a on \"~x y\"\n"       "ERR $aclf_path:1: Syntax error. $w" \
        "user a on resetpass <x\n" "ERR $aclf_path:1: The password you are trying to remove from the user does not exist. $w" \
        "user a on\n\nuser b\tc on\n" "ERR '$aclf_path:3: username 'b\tc' contains invalid characters. $w" \
    ]
    foreach {content error} $cases {
        ::rkv::write_file $aclf_path $content
        set got [catch {r acl load} e]
        assert_equal 1 $got
        assert_equal $error $e
        assert_equal $before [r acl list]
    }
}

test {ACL files: spaces are separators, lines are trimmed, empty lines skipped} {
    ::rkv::write_file $aclf_path "  user carol  on ~c*  \r\n\n\nuser dave on >a >b <a\nuser default on nopass ~* &* +@all\n"
    assert_equal OK [r acl load]
    assert_equal {user carol on ~c* resetchannels -@all} [lindex [r acl list] 0]
    assert_equal {user dave on #3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d resetchannels -@all} \
        [lindex [r acl list] 1]
}

test {ACL LOAD of a missing file} {
    file delete $aclf_path
    assert_error "ERR Error loading ACLs, opening file '$aclf_path': No such file or directory" {r acl load}
    assert_equal OK [r acl save]
    assert {[file exists $aclf_path]}
}

test {CONFIG REWRITE writes no user lines when an aclfile holds them} {
    r config rewrite
    assert_no_match "*\nuser *" "\n[::rkv::read_file [srv config_file]]"
}

}

start_server {tags {acl} config_lines {
        {user bob on >x ~* +@all}
        {user carol on >y}
        {user default on >secret ~* &* +@all}
        {requirepass ignored}
    }} {

test {`user` lines create users at start-up, the default line last wins over requirepass} {
    set c [redis_client]
    assert_error "WRONGPASS*" {$c auth ignored}
    assert_equal OK [$c auth secret]
    assert_equal {bob carol default} [$c acl users]
    assert_equal {user default on sanitize-payload #2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b ~* &* +@all} \
        [lindex [$c acl list] 2]
    $c close
}

test {CONFIG REWRITE puts the current users in place of the old user lines} {
    r auth secret
    r acl deluser carol
    r acl setuser dan on >z ~d* +get
    r config rewrite
    set text [::rkv::read_file [srv config_file]]
    set users [lsearch -all -inline -glob [split $text "\n"] "user *"]
    assert_equal [r acl list] $users
    # The old lines are reused in order: bob's stays first.
    assert_match "user bob *" [lindex $users 0]
    r acl setuser default nopass
}

}

test {Config errors in user lines stop the server} {
    foreach {line expect} {
        {user alice on foo}          {*Error in user declaration 'alice': Syntax error*}
        {user alice on #abc}         {*Error in user declaration 'alice': The password hash must be exactly 64 characters*}
        {user alice on ~* ~x}        {*Error in user declaration 'on': Adding a pattern after the * pattern*}
        {user}                       {*Bad directive or wrong number of arguments*}
    } {
        lassign [aclf_run_server [aclf_conf [list $line]]] status out
        assert_equal 1 $status "line: $line"
        assert_match "*FATAL CONFIG FILE ERROR*>>> '$line'*" $out
        assert_match $expect $out
    }
    lassign [aclf_run_server [aclf_conf {{user alice on} {user alice off}}]] status out
    assert_equal 1 $status
    assert_match "*>>> 'user alice off'*Duplicate user found. A user can only be defined once in config files*" $out
}

test {Start-up ACL errors stop the server} {
    lassign [aclf_run_server [aclf_conf {{user alice on +nosuch}}]] status out
    assert_equal 1 $status
    assert_match "*Error loading ACL rule '+nosuch' for the user named 'alice': Unknown command or category name in ACL*Critical error while loading ACLs. Exiting.*" $out
    lassign [aclf_run_server [aclf_conf {{user "a b" on}}]] status out
    assert_equal 1 $status
    assert_match "*Spaces not allowed in ACL usernames*" $out
    set missing [file join [tmpdir noacl] none.acl]
    lassign [aclf_run_server [aclf_conf [list "aclfile $missing"]]] status out
    assert_equal 1 $status
    assert_match "*Aborting Redis startup because of ACL errors: Error loading ACLs, opening file '$missing': No such file or directory*" $out
    lassign [aclf_run_server [aclf_conf [list "aclfile $missing" "user alice on"]]] status out
    assert_equal 1 $status
    assert_match "*Configuring Redis with users defined in redis.conf and at the same setting an ACL file path is invalid.*" $out
    set bad [file join [tmpdir badacl] bad.acl]
    ::rkv::write_file $bad "user alice on foo\n"
    lassign [aclf_run_server [aclf_conf [list "aclfile $bad"]]] status out
    assert_equal 1 $status
    assert_match "*Aborting Redis startup because of ACL errors: $bad:1: Syntax error. WARNING: ACL errors detected*" $out
}
