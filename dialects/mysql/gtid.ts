import { GtidSet, MariadbGtidPosition } from '@vlasky/zongji';

/**
 * The transactions processed so far, as the server spells a resume point: a
 * MariaDB GTID position (`0-1-42,1-1-7`: the last transaction per domain) or a
 * MySQL GTID set (`uuid:1-42`). Each transaction is added at its commit, DDL
 * included, so a resume point never names a transaction half delivered.
 */
export class ExecutedGtids {
  private readonly mariadb: boolean;
  private readonly model: MariadbGtidPosition | GtidSet;

  private constructor(mariadb: boolean, model: MariadbGtidPosition | GtidSet) {
    this.mariadb = mariadb;
    this.model = model;
  }

  static parse(text: string, mariadb: boolean): ExecutedGtids {
    return new ExecutedGtids(mariadb, mariadb ? MariadbGtidPosition.parse(text) : GtidSet.parse(text));
  }

  /** `gtid` as the event spells it: `domain-server-seq` (MariaDB) or `uuid:gno` (MySQL). */
  add(gtid: string): void {
    if (this.mariadb) {
      const [domainId, serverId, seqNo] = gtid.split('-');
      (this.model as MariadbGtidPosition).add({
        domainId: Number(domainId),
        serverId: Number(serverId),
        seqNo: seqNo!,
      });
    } else {
      (this.model as GtidSet).add(gtid);
    }
  }

  toString(): string {
    return this.model.toString();
  }
}
