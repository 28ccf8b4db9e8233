/*
 * sanboot-iscsi-io: the mockup's boot firmware speaking real iSCSI through libiscsi.
 *
 *   iscsi_io login PORTAL TARGET LUN      log in and check the LUN (TEST UNIT READY)
 *   iscsi_io read  PORTAL TARGET LUN      print LBA 0 and 1 (1024 bytes) to stdout
 *   iscsi_io write PORTAL TARGET LUN      write 1024 bytes from stdin to LBA 0 and 1
 *
 * Identity and secrets come from the environment, never the command line:
 * ISCSI_INITIATOR, ISCSI_CHAP_USER, ISCSI_CHAP_SECRET, ISCSI_MUTUAL_USER, ISCSI_MUTUAL_SECRET.
 * On failure it prints libiscsi's own reason on stderr and exits 10.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

#define BLOCKS 2
#define BLOCK 512

static int fail(struct iscsi_context *iscsi, const char *what) {
    fprintf(stderr, "%s: %s\n", what, iscsi ? iscsi_get_error(iscsi) : "no context");
    if (iscsi) {
        iscsi_destroy_context(iscsi);
    }
    return 10;
}

static int check(struct iscsi_context *iscsi, struct scsi_task *task, const char *what) {
    if (task == NULL) {
        return fail(iscsi, what);
    }
    if (task->status != SCSI_STATUS_GOOD) {
        fprintf(stderr, "%s: %s\n", what, iscsi_get_error(iscsi));
        scsi_free_scsi_task(task);
        iscsi_destroy_context(iscsi);
        return 10;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 5) {
        fprintf(stderr, "usage: %s login|read|write PORTAL TARGET LUN\n", argv[0]);
        return 2;
    }
    const char *mode = argv[1], *portal = argv[2], *target = argv[3];
    int lun = atoi(argv[4]);
    const char *initiator = getenv("ISCSI_INITIATOR");
    struct iscsi_context *iscsi = iscsi_create_context(initiator ? initiator : "iqn.2024-01.org.example:sanboot-mockup");
    if (iscsi == NULL) {
        return fail(NULL, "create context");
    }
    iscsi_set_targetname(iscsi, target);
    iscsi_set_session_type(iscsi, ISCSI_SESSION_NORMAL);
    iscsi_set_header_digest(iscsi, ISCSI_HEADER_DIGEST_NONE);
    const char *user = getenv("ISCSI_CHAP_USER"), *secret = getenv("ISCSI_CHAP_SECRET");
    if (user && *user && secret) {
        iscsi_set_initiator_username_pwd(iscsi, user, secret);
        const char *muser = getenv("ISCSI_MUTUAL_USER"), *msecret = getenv("ISCSI_MUTUAL_SECRET");
        if (muser && *muser && msecret) {
            iscsi_set_target_username_pwd(iscsi, muser, msecret);
        }
    }
    /* Connects, logs in, and waits for the LUN to answer TEST UNIT READY. */
    if (iscsi_full_connect_sync(iscsi, portal, lun) != 0) {
        return fail(iscsi, "login");
    }
    int rc = 0;
    if (strcmp(mode, "read") == 0) {
        struct scsi_task *task = iscsi_read10_sync(iscsi, lun, 0, BLOCKS * BLOCK, BLOCK, 0, 0, 0, 0, 0);
        if ((rc = check(iscsi, task, "read")) != 0) {
            return rc;
        }
        fwrite(task->datain.data, 1, task->datain.size, stdout);
        scsi_free_scsi_task(task);
    } else if (strcmp(mode, "write") == 0) {
        unsigned char data[BLOCKS * BLOCK];
        if (fread(data, 1, sizeof data, stdin) != sizeof data) {
            fprintf(stderr, "write: need %d bytes on stdin\n", BLOCKS * BLOCK);
            iscsi_destroy_context(iscsi);
            return 2;
        }
        struct scsi_task *task = iscsi_write10_sync(iscsi, lun, 0, data, sizeof data, BLOCK, 0, 0, 0, 0, 0);
        if ((rc = check(iscsi, task, "write")) != 0) {
            return rc;
        }
        scsi_free_scsi_task(task);
    } else if (strcmp(mode, "login") != 0) {
        fprintf(stderr, "unknown mode %s\n", mode);
        rc = 2;
    }
    iscsi_logout_sync(iscsi);
    iscsi_destroy_context(iscsi);
    return rc;
}
