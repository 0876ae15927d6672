// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/shell/statusindicators.h"

#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>

namespace brieflow::ui {

namespace {

QString iconFor(StatusIndicators::Connection state)
{
    using C = StatusIndicators::Connection;
    switch (state) {
    case C::Connected:
        return QStringLiteral(":/icons/state-succeeded.svg");
    case C::Demo:
    case C::NoToken:
    case C::AuthProblem:
        return QStringLiteral(":/icons/state-needs-attention.svg");
    case C::Offline:
        return QStringLiteral(":/icons/state-failed.svg");
    case C::Checking:
        return QStringLiteral(":/icons/state-processing.svg");
    case C::Unknown:
        break;
    }
    return QStringLiteral(":/icons/state-pending.svg");
}

} // namespace

StatusIndicators::StatusIndicators(QWidget *parent)
    : QWidget(parent)
{
    auto *row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 8, 0);
    row->setSpacing(6);
    m_notice = new QLabel(this);
    m_notice->setVisible(false);
    m_notice->setAccessibleName(tr("Notice"));
    m_counts = new QLabel(this);
    m_counts->setAccessibleName(tr("Job counts"));
    m_counts->setToolTip(tr("Jobs running, waiting in the queue, and failed"));
    m_connectionIcon = new QLabel(this);
    m_connectionIcon->setFixedSize(16, 16);
    m_connectionText = new QLabel(this);
    m_connectionText->setAccessibleName(tr("Connection"));
    row->addWidget(m_notice);
    row->addSpacing(12);
    row->addWidget(m_counts);
    row->addSpacing(12);
    row->addWidget(m_connectionIcon);
    row->addWidget(m_connectionText);
    setConnection(Connection::Unknown);
    setCounts({});
}

void StatusIndicators::setConnection(Connection state, const QString &detail)
{
    m_connection = state;
    QString text;
    QString tip;
    switch (state) {
    case Connection::Unknown:
        text = tr("Starting…");
        break;
    case Connection::Checking:
        text = tr("Connecting…");
        break;
    case Connection::Demo:
        text = tr("Demo — built-in sandbox");
        tip = tr("Images come from the built-in sandbox; nothing is sent to Replicate.");
        break;
    case Connection::Connected:
        text = tr("Connected as %1").arg(detail);
        tip = tr("Requests go to Replicate with this account's API token.");
        break;
    case Connection::AuthProblem:
        text = tr("Authentication problem");
        tip = detail;
        break;
    case Connection::NoToken:
        text = tr("No API token");
        tip = tr("Add a Replicate API token in Settings to run briefs.");
        break;
    case Connection::Offline:
        text = tr("Offline");
        tip = detail;
        break;
    }
    m_connectionText->setText(text);
    m_connectionText->setToolTip(tip);
    m_connectionIcon->setToolTip(tip);
    m_connectionIcon->setPixmap(QIcon(iconFor(state)).pixmap(16, 16));
}

QString StatusIndicators::connectionText() const
{
    return m_connectionText->text();
}

void StatusIndicators::setCounts(const QHash<JobStatus, int> &counts)
{
    const int running = counts.value(JobStatus::Processing);
    const int queued = counts.value(JobStatus::Pending);
    const int failed = counts.value(JobStatus::Failed);
    const int attention = counts.value(JobStatus::NeedsAttention);
    QString text = tr("%1 running · %2 queued · %3 failed").arg(running).arg(queued).arg(failed);
    if (attention > 0)
        text += tr(" · %1 need attention").arg(attention);
    m_counts->setText(text);
}

QString StatusIndicators::countsText() const
{
    return m_counts->text();
}

void StatusIndicators::setNotice(const QString &notice)
{
    m_notice->setText(notice);
    m_notice->setVisible(!notice.isEmpty());
}

QString StatusIndicators::notice() const
{
    return m_notice->text();
}

} // namespace brieflow::ui
