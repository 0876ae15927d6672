// SPDX-FileCopyrightText: 2026 Brieflow contributors
// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once

#include <QHash>
#include <QPointer>
#include <QWidget>

#include "core/brief/brief.h"

class QComboBox;
class QLabel;
class QPushButton;
class QShortcut;
class QSpinBox;
class QTimer;

namespace brieflow::ui {

class FieldMessage;
class JobEstimates;

/**
 * The brief form: the contract's fields with a hint under each, the core validator's message in
 * its place when a field has a problem, character counts near the limits, image options, an
 * example brief, and Generate (also Ctrl+Enter). Emits submitted() only with a valid brief.
 */
class BriefForm final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BriefForm)

public:
    explicit BriefForm(QWidget *parent = nullptr);

    Brief brief() const;
    void setBrief(const Brief &brief);
    void clear();
    /** The problems currently shown, by field. */
    QHash<QString, QString> shownProblems() const;
    /** The editor widget of a field (for focus and tests), or nullptr. */
    QWidget *editor(const QString &field) const;
    /** Turns the form's own Ctrl+Enter off when a window-wide action provides it. */
    void setSubmitShortcutEnabled(bool enabled);
    /** Shows what this brief is likely to cost under Generate, from @p estimates (null:
     *  nothing shown); it must outlive the form. */
    void setEstimates(JobEstimates *estimates);
    /** The cost estimate under Generate. */
    QLabel *costLabel() const { return m_cost; }

public Q_SLOTS:
    /** Computes the cost estimate again (the image count, the history or the prices changed). */
    void updateCostEstimate();

    /** Fills the form with the bundled example brief. */
    void loadExample();
    /** Validates every field, shows all problems; emits submitted() when there are none. */
    void submit();

Q_SIGNALS:
    void submitted(const brieflow::Brief &brief);
    /** "Import CSV…" was pressed: the window picks a file and previews it. */
    void importCsvRequested();

private:
    struct Field {
        QWidget *editor = nullptr;
        FieldMessage *message = nullptr;
        QLabel *counter = nullptr;
        int maxLength = 0;
        bool touched = false;
    };

    void addTextField(const QString &field, const QString &hint);
    QString text(const QString &field) const;
    void setText(const QString &field, const QString &value);
    void onEdited(const QString &field);
    void updateCounter(const QString &field);
    /** Shows the validator's problems for touched fields (all fields when @p all). */
    void showProblems(bool all);

    QHash<QString, Field> m_fields;
    QStringList m_order;
    QComboBox *m_aspectRatio = nullptr;
    QSpinBox *m_imageCount = nullptr;
    QComboBox *m_outputFormat = nullptr;
    FieldMessage *m_imageMessage = nullptr;
    QPushButton *m_generate = nullptr;
    QLabel *m_cost = nullptr;
    QPointer<JobEstimates> m_estimates;
    QTimer *m_revalidate = nullptr;
    QList<QShortcut *> m_shortcuts;
};

} // namespace brieflow::ui

Q_DECLARE_METATYPE(brieflow::Brief)
