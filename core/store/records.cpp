// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "records.h"

#include <array>
#include <utility>

namespace brieflow {

namespace {

// One table per enum: the database strings are defined here and nowhere else.
constexpr std::array<std::pair<JobStatus, const char *>, 6> jobStatusNames{{
    {JobStatus::Pending, "pending"},
    {JobStatus::Processing, "processing"},
    {JobStatus::Succeeded, "succeeded"},
    {JobStatus::Failed, "failed"},
    {JobStatus::Canceled, "canceled"},
    {JobStatus::NeedsAttention, "needs_attention"},
}};

constexpr std::array<std::pair<StepStatus, const char *>, 6> stepStatusNames{{
    {StepStatus::Pending, "pending"},
    {StepStatus::Processing, "processing"},
    {StepStatus::Succeeded, "succeeded"},
    {StepStatus::Failed, "failed"},
    {StepStatus::Canceled, "canceled"},
    {StepStatus::NeedsAttention, "needs_attention"},
}};

constexpr std::array<std::pair<CallState, const char *>, 6> callStateNames{{
    {CallState::Creating, "creating"},
    {CallState::Submitted, "submitted"},
    {CallState::Unknown, "unknown"},
    {CallState::Succeeded, "succeeded"},
    {CallState::Failed, "failed"},
    {CallState::Canceled, "canceled"},
}};

template<typename Enum, std::size_t N>
QString nameOf(const std::array<std::pair<Enum, const char *>, N> &names, Enum value)
{
    for (const auto &[e, name] : names) {
        if (e == value)
            return QLatin1String(name);
    }
    Q_UNREACHABLE();
    return {};
}

template<typename Enum, std::size_t N>
std::optional<Enum> valueOf(const std::array<std::pair<Enum, const char *>, N> &names,
                            QStringView text)
{
    for (const auto &[e, name] : names) {
        if (text == QLatin1String(name))
            return e;
    }
    return std::nullopt;
}

} // namespace

QString toString(JobStatus status)
{
    return nameOf(jobStatusNames, status);
}

QString toString(StepStatus status)
{
    return nameOf(stepStatusNames, status);
}

QString toString(CallState state)
{
    return nameOf(callStateNames, state);
}

std::optional<JobStatus> jobStatusFromString(QStringView text)
{
    return valueOf(jobStatusNames, text);
}

std::optional<StepStatus> stepStatusFromString(QStringView text)
{
    return valueOf(stepStatusNames, text);
}

std::optional<CallState> callStateFromString(QStringView text)
{
    return valueOf(callStateNames, text);
}

bool isUnsettled(CallState state)
{
    return state == CallState::Creating || state == CallState::Submitted
           || state == CallState::Unknown;
}

} // namespace brieflow
