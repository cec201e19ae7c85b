"""A project-specific Alembic operation, as real projects register them (an audit trigger)."""

from alembic.operations import MigrateOperation, Operations


@Operations.register_operation("create_audit_trigger")
class CreateAuditTriggerOp(MigrateOperation):
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    @classmethod
    def create_audit_trigger(cls, operations, table_name):
        return operations.invoke(cls(table_name))

    def reverse(self):
        return DropAuditTriggerOp(self.table_name)


@Operations.register_operation("drop_audit_trigger")
class DropAuditTriggerOp(MigrateOperation):
    def __init__(self, table_name: str) -> None:
        self.table_name = table_name

    @classmethod
    def drop_audit_trigger(cls, operations, table_name):
        return operations.invoke(cls(table_name))


@Operations.implementation_for(CreateAuditTriggerOp)
def _create(operations, operation):
    name = operation.table_name
    operations.execute(
        f"CREATE TRIGGER {name}_audit AFTER INSERT OR UPDATE OR DELETE ON {name} "
        "FOR EACH ROW EXECUTE FUNCTION audit_row()"
    )


@Operations.implementation_for(DropAuditTriggerOp)
def _drop(operations, operation):
    operations.execute(f"DROP TRIGGER {operation.table_name}_audit ON {operation.table_name}")
