// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "faultinjector.h"

#include <cmath>

#include <QRegularExpression>

#include "core/sandbox/sandboxclock.h"

namespace brieflow::sandbox {

namespace {

struct KindName {
    FaultKind kind;
    const char *name;
};

constexpr KindName KindNames[] = {
    {FaultKind::HttpError, "http_error"},
    {FaultKind::ConnectionReset, "connection_reset"},
    {FaultKind::Delay, "delay"},
    {FaultKind::RateLimitStorm, "rate_limit_storm"},
    {FaultKind::MalformedJson, "malformed_json"},
    {FaultKind::FailPrediction, "fail_prediction"},
    {FaultKind::ExpireOutputs, "expire_outputs"},
};

bool isCreateFault(FaultKind kind)
{
    return kind == FaultKind::FailPrediction || kind == FaultKind::ExpireOutputs;
}

} // namespace

QString faultKindName(FaultKind kind)
{
    for (const KindName &k : KindNames) {
        if (k.kind == kind)
            return QString::fromLatin1(k.name);
    }
    return {};
}

std::optional<FaultKind> faultKindFromName(const QString &name)
{
    for (const KindName &k : KindNames) {
        if (name == QLatin1String(k.name))
            return k.kind;
    }
    return std::nullopt;
}

FaultInjector::FaultInjector(quint64 seed, const SandboxClock *clock)
    : m_clock(clock)
    , m_rng(static_cast<quint32>((seed * 31) ^ (seed >> 32) ^ 0x5eed))
{}

int FaultInjector::add(const FaultRule &rule)
{
    m_rules.append({m_nextId, rule, 0});
    return m_nextId++;
}

void FaultInjector::clear()
{
    m_rules.clear();
}

QList<FaultRule> FaultInjector::rules() const
{
    QList<FaultRule> list;
    for (const Active &a : m_rules)
        list.append(a.rule);
    return list;
}

bool FaultInjector::matches(const FaultRule &rule, const QString &method, const QString &path)
{
    if (rule.method != QLatin1String("*") && rule.method.compare(method, Qt::CaseInsensitive) != 0)
        return false;
    if (rule.path == QLatin1String("*"))
        return true;
    QString pattern = QRegularExpression::escape(rule.path);
    pattern.replace(QStringLiteral("\\*"), QStringLiteral(".*"));
    const QRegularExpression re(QRegularExpression::anchoredPattern(pattern));
    return re.match(path).hasMatch();
}

void FaultInjector::consume(qsizetype index)
{
    Active &a = m_rules[index];
    if (a.rule.count > 0 && --a.rule.count == 0)
        m_rules.removeAt(index);
}

RequestFaults FaultInjector::matchRequest(const QString &method, const QString &path)
{
    RequestFaults faults;
    const qint64 now = m_clock->nowNs();
    for (qsizetype i = m_rules.size() - 1; i >= 0; --i) {
        Active &a = m_rules[i];
        const FaultRule &rule = a.rule;
        if (isCreateFault(rule.kind) || !matches(rule, method, path))
            continue;
        const bool lockout = rule.kind == FaultKind::RateLimitStorm && rule.lockoutMs > 0;
        if (!lockout && rule.probability < 1.0 && m_rng.generateDouble() >= rule.probability)
            continue;
        switch (rule.kind) {
        case FaultKind::HttpError:
            if (rule.afterHandling)
                faults.errorAfterStatus = rule.status;
            else
                faults.errorStatus = rule.status;
            break;
        case FaultKind::ConnectionReset:
            faults.reset = true;
            break;
        case FaultKind::Delay:
            faults.delayMs = std::max(faults.delayMs, rule.delayMs);
            break;
        case FaultKind::MalformedJson:
            faults.malformed = true;
            break;
        case FaultKind::RateLimitStorm:
            if (rule.lockoutMs > 0) {
                if (a.lockoutUntilNs == 0)
                    a.lockoutUntilNs = now + rule.lockoutMs * 1000 * 1000;
                if (now >= a.lockoutUntilNs) {
                    m_rules.removeAt(i);
                    continue;
                }
                faults.throttleRetryAfter =
                    std::max(1, static_cast<int>(std::ceil(double(a.lockoutUntilNs - now) / 1e9)));
                continue; // a lockout lasts for its time, not for a number of requests
            }
            faults.throttleRetryAfter = rule.retryAfterSeconds;
            break;
        case FaultKind::FailPrediction:
        case FaultKind::ExpireOutputs:
            break;
        }
        consume(i);
    }
    if (faults.errorStatus)
        faults.errorAfterStatus.reset(); // answered without handling: nothing to answer after
    return faults;
}

CreateFaults FaultInjector::takeCreateFaults(const QString &method, const QString &path)
{
    CreateFaults faults;
    for (qsizetype i = m_rules.size() - 1; i >= 0; --i) {
        const FaultRule &rule = m_rules.at(i).rule;
        if (!isCreateFault(rule.kind) || !matches(rule, method, path))
            continue;
        if (rule.kind == FaultKind::FailPrediction)
            faults.failWith = rule.errorText;
        else
            faults.expireImmediately = true;
        consume(i);
    }
    return faults;
}

} // namespace brieflow::sandbox
