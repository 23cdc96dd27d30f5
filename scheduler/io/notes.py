"""What every sheet, column and key of the instance workbook means (the template's Notes sheet)."""

from __future__ import annotations

NOTES: list[list[str]] = [
    ["Settings", "start_date", "required", "First day of the roster (a Monday is usual)."],
    ["Settings", "days", "7", "Number of days to roster (1-366)."],
    ["Settings", "interval_minutes", "15", "Length of a planning interval: 15, 30 or 60. Shift "
     "starts, durations and break windows must be multiples of it."],
    ["Settings", "country", "(none)", "ISO country code (e.g. DE, GB, US); its public holidays "
     "inside the roster are added to the Holidays sheet."],
    ["Settings", "shrinkage", "0.10", "Share of rostered time lost to absence and sickness; "
     "required agents are divided by (1 - shrinkage). Breaks are planned, so they are not "
     "shrinkage."],
    ["Settings", "time_limit_seconds", "60", "How long the solver may search."],
    ["Settings", "workers", "0", "Solver threads; 0 uses all cores."],
    ["Settings", "seed", "0", "Random seed; the same workbook, seed and workers give the same "
     "roster under a deterministic limit."],
    ["Queues", "queue_id", "required", "Short code of a call queue, used in Forecast and in "
     "agents' skills."],
    ["Queues", "name", "", "Readable name."],
    ["Queues", "aht_seconds", "required", "Average handling time of a call in seconds."],
    ["Queues", "complaint", "no", "yes for a complaint queue: complaint time is capped per "
     "agent and followed by recovery time."],
    ["Queues", "service_level", "0.80", "Share of calls to answer within answer_seconds."],
    ["Queues", "answer_seconds", "20", "Target answer time for the service level."],
    ["Queues", "max_occupancy", "0.85 (0.75 complaint)", "Highest share of time an agent may "
     "spend on calls; adds agents when Erlang C alone would overload them."],
    ["Forecast", "date, time, queue_id, calls", "required", "Calls offered in the interval "
     "starting at time. Intervals without a row need nobody."],
    ["Requirements", "date, time, queue_id, agents", "", "Instead of Forecast: agents required "
     "on the queue in that interval, used as given."],
    ["ShiftDemand", "date, shift_id, agents, weight_under, weight_over", "", "Instead of "
     "Forecast: headcount wanted on a shift on a date; penalties per missing or extra person "
     "(default the Rules weights)."],
    ["Shifts", "shift_id", "required", "Short code shown in the Roster."],
    ["Shifts", "start", "required", "Start time; a shift belongs to the date it starts on and "
     "may run past midnight."],
    ["Shifts", "duration_minutes", "required", "Length including breaks and lunch."],
    ["Shifts", "paid_minutes", "duration - lunch", "Paid time, counted towards weekly hours."],
    ["Shifts", "night", "yes if 3+ hours fall in 22:00-06:00", "Night shift: limited runs, "
     "rest after a run, and shared fairly."],
    ["Shifts", "weekdays", "all", "Days the shift may start on, e.g. Mon-Fri or Sat;Sun."],
    ["Shifts", "not_followed_by", "", "Shifts that may not start on the next date."],
    ["Breaks", "shift_id", "required", "The shift the break belongs to."],
    ["Breaks", "activity", "required", "BREAK or LUNCH."],
    ["Breaks", "minutes", "required", "Length of the break."],
    ["Breaks", "earliest, latest", "required", "Window (minutes after shift start) in which "
     "the break must start."],
    ["Agents", "agent_id", "required", "Unique code of the agent."],
    ["Agents", "name", "", "Readable name."],
    ["Agents", "skills", "required with queues", "Queues the agent can take, e.g. GEN;CMP."],
    ["Agents", "hire_date", "(experienced)", "Agents with fewer than new_hire_days of tenure "
     "are new hires: no complaint queues, no nights (see Rules)."],
    ["Agents", "fte", "1.0", "Contract size; weekly hour defaults and fairness are per FTE."],
    ["Agents", "min_hours_week, max_hours_week", "Rules x fte", "Paid hours per 7-day block."],
    ["Agents", "max_days_week", "Rules (5)", "Working days per 7-day block."],
    ["Agents", "shifts", "all", "Shifts this agent may work."],
    ["Agents", "night_ok", "yes", "no keeps the agent off night shifts."],
    ["Agents", "max_shifts", "", "At most n of a shift in the roster, e.g. N=2;E=3."],
    ["Agents", "max_weekends", "", "At most this many weekends with work on Saturday or Sunday."],
    ["Agents", "min_total_hours, max_total_hours", "", "Paid hours over the whole roster."],
    ["Agents", "max_consecutive_days, min_consecutive_days, min_consecutive_days_off, "
     "max_consecutive_nights", "Rules", "This agent's own limit instead of the Rules value."],
    ["Agents", "hist_weekends, hist_holidays, hist_nights, hist_complaint_hours", "0",
     "Load carried from earlier rosters (paste last roster's History sheet), so fairness "
     "looks beyond one week."],
    ["Agents", "consecutive_days_before", "0", "Days worked in a row up to the day before "
     "start_date."],
    ["Agents", "last_shift_end", "", "When the last shift before start_date ended "
     "(YYYY-MM-DD HH:MM): rest is checked across the start."],
    ["Agents", "nights_before", "0", "Nights worked in a row ending just before start_date "
     "(needs last_shift_end)."],
    ["Requests", "agent_id, date", "required", "Who and when."],
    ["Requests", "type", "required", "LEAVE (approved absence, always kept), OFF (wish for a "
     "day off), AVOID (wish not to work shift_id), PREFER (wish to work shift_id), FIXED "
     "(shift_id is pinned, always kept)."],
    ["Requests", "shift_id", "", "Needed for AVOID, PREFER and FIXED."],
    ["Requests", "weight", "1", "Penalty when a wish is not met."],
    ["Holidays", "date, name", "", "Public holidays; shared fairly between agents."],
    ["Rules", "min_rest_hours", "11", "Hours from the end of a shift to the next start (hard)."],
    ["Rules", "preferred_rest_hours", "12", "Rest below this costs weight_short_rest per hour."],
    ["Rules", "weight_short_rest", "10", "Penalty per hour of rest below preferred_rest_hours."],
    ["Rules", "max_consecutive_days", "6", "Working days in a row, counting days before "
     "the start (hard)."],
    ["Rules", "max_days_week, min_hours_week, max_hours_week", "5, 32, 40", "Defaults for "
     "agents (hours are multiplied by fte); per 7-day block from start_date (hard)."],
    ["Rules", "min_consecutive_days", "1", "Shortest run of working days (hard); runs touching "
     "the start or end of the roster are exempt."],
    ["Rules", "min_consecutive_days_off", "1", "Shortest run of days off; 2 = days off come in "
     "pairs (hard)."],
    ["Rules", "max_consecutive_nights", "3", "Nights in a row, counting nights_before (hard)."],
    ["Rules", "rest_after_nights_hours", "48", "No shift starts within this many hours after "
     "the last night of a run (hard)."],
    ["Rules", "forward_rotation", "5", "Penalty when a shift starts earlier in the day than the "
     "day before (backward rotation)."],
    ["Rules", "new_hire_days", "90", "Tenure below which an agent is a new hire."],
    ["Rules", "new_hire_complaints", "no", "yes lets new hires take complaint queues."],
    ["Rules", "new_hire_nights", "no", "yes lets new hires work nights."],
    ["Rules", "max_continuous_phone_minutes", "150", "Longest stretch on queues without a "
     "BREAK or LUNCH (hard)."],
    ["Rules", "max_complaint_continuous_minutes", "120", "Longest stretch on complaint queues "
     "(hard)."],
    ["Rules", "complaint_recovery_minutes", "30", "Non-complaint time between two complaint "
     "stretches of a shift (hard)."],
    ["Rules", "max_complaint_daily_minutes", "240", "Complaint minutes per shift (hard)."],
    ["Rules", "fair_weekends, fair_holidays, fair_nights, fair_complaint_hours", "20, 20, 10, 5",
     "Penalty per unit of variance of the per-FTE totals (history included) among the agents "
     "eligible for that burden: every agent counts, and one more unit costs more the more "
     "that agent has already carried."],
    ["Rules", "weight_under", "1000", "Penalty per agent-interval below the requirement."],
    ["Rules", "weight_over", "1", "Penalty per agent-interval above the requirement."],
    ["Rules", "leave_hours", "8", "Hours a LEAVE day counts towards min_hours_week (times fte)."],
    ["Rules", "change_weight", "2000", "scheduler reroster only: penalty per agent-day whose "
     "shift differs from the published roster (added, removed or moved), beyond the shifts the "
     "absences themselves remove; higher keeps more of the published roster."],
    ["Scenarios", "scenario, key, value", "", "For scheduler compare: each scenario overrides "
     "Settings/Rules keys, or uses add_agents (template agent and count, e.g. A01=2) or "
     "remove_agents (ids)."],
]  # fmt: skip
