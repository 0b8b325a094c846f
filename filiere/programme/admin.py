from django.contrib import admin

from filiere.programme.models import (
    Action,
    ActionItem,
    ActionPartner,
    Axis,
    BudgetAllocation,
    BudgetCommitment,
    Contract,
    ContractActor,
    Indicator,
    Measurement,
    Payment,
    Pillar,
    PillarCommitment,
    Strategy,
)


class ContractActorInline(admin.TabularInline):
    model = ContractActor
    extra = 0
    autocomplete_fields = ["organisation"]


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "start_date", "end_date", "budget_eur", "is_published"]
    list_filter = ["is_published", "region"]
    search_fields = ["title", "sector"]
    inlines = [ContractActorInline, AxisInline]
    raw_id_fields = ["signing_commune"]
    autocomplete_fields = ["owner"]


class ActionPartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class ActionItemInline(admin.TabularInline):
    model = ActionItem
    extra = 0
    raw_id_fields = ["commune"]


class BudgetAllocationInline(admin.TabularInline):
    """Read-only: envelopes are set on the action page, which keeps them within the budget."""

    model = BudgetAllocation
    extra = 0
    can_delete = False
    readonly_fields = ["year", "amount_eur", "is_demo"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "axis", "coordinator", "is_published"]
    list_filter = ["axis__contract", "is_published"]
    list_select_related = ["axis", "coordinator"]
    search_fields = ["code", "title"]
    inlines = [ActionPartnerInline, ActionItemInline, BudgetAllocationInline]
    autocomplete_fields = ["coordinator"]


class PillarCommitmentInline(admin.TabularInline):
    model = PillarCommitment
    extra = 0


@admin.register(Strategy)
class StrategyAdmin(admin.ModelAdmin):
    list_display = ["title", "region", "annual_budget_eur"]


@admin.register(Pillar)
class PillarAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "strategy"]
    inlines = [PillarCommitmentInline]


class MeasurementInline(admin.TabularInline):
    model = Measurement
    extra = 0
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "contract", "action", "target_value", "deadline", "is_demo"]
    list_filter = ["contract", "is_demo", "is_published"]
    list_select_related = ["contract", "action"]
    search_fields = ["code", "name"]
    inlines = [MeasurementInline]


@admin.register(BudgetCommitment)
class BudgetCommitmentAdmin(admin.ModelAdmin):
    """Read-only here: commitments are written, corrected and cancelled through the action
    page, which checks the envelope and keeps the reason; the admin would bypass both."""

    list_display = [
        "label",
        "action",
        "year",
        "beneficiary",
        "amount_eur",
        "committed_on",
        "is_demo",
    ]
    list_filter = ["year", "is_cancelled", "is_demo", "action__axis__contract"]
    list_select_related = ["action", "beneficiary"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Read-only, as the commitments: a payment is cancelled on its page, never deleted."""

    list_display = ["commitment", "paid_on", "amount_eur", "is_cancelled", "is_demo"]
    list_select_related = ["commitment"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
