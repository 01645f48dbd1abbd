// The .rpol policy language (see docs/language.md). Compiled at build time by Antlr4BuildTasks
// (see src/Compiler); the parse tree is turned into the compiler's own syntax tree by
// src/Compiler/Syntax/SyntaxTreeBuilder.cs, so nothing outside Syntax/ sees ANTLR types.
grammar Rpol;

compilationUnit : (policyDecl | testDecl)* EOF ;

policyDecl      : 'policy' name=policyName ('extends' base=baseRef)? '{' member* '}' ;

// Policy names may contain '-' and '.' (linux-3.13). The lexer cannot tell such a name from a
// subtraction, so the parser glues adjacent tokens and the tree builder rejects inner whitespace.
policyName      : nameAtom (('-' | '.') nameAtom)* ;
nameAtom        : IDENT | NUMBER | keyword ;
baseRef         : policyName | STRING ;

member          : constDecl
                | section
                ;

constDecl       : 'const' IDENT '=' expr ';' ;

section         : sectionKind=IDENT pattern=STRING? '{' ruleDecl* '}' ;

ruleDecl        : IDENT '=' expr ';' ;

// Tests (docs/authoring.md): beside the policy in its file, or alone in NAME.test.rpol, which
// tests NAME.rpol. 'given' sets context fields (or a scenario run); 'expect' checks a decision.
testDecl        : 'test' name=STRING '{' testStatement* '}' ;

testStatement   : 'given' givenItem (',' givenItem)* ';'                                  # givenStatement
                | 'expect' target=ruleRef expectation ';'                                # expectStatement
                ;

// The comparison or verb is its own rule, so a statement cut short after its target is reported
// there ("expected '==' … or a name"), not as a statement that never started.
expectation     : op=('==' | '!=' | '<' | '<=' | '>' | '>=') expr                       # compareExpectation
                | verb=IDENT                                                             # verbExpectation
                ;

givenItem       : IDENT ('.' IDENT)? '=' expr ;

// may_compact, gfp.may_compact, shrinker "sb-xfs", shrinker "sb-xfs".batch
ruleRef         : IDENT pattern=STRING? ('.' IDENT)? ;

expr            : primary                                              # primaryExpr
                | expr unit=('pages' | 'bytes')                        # unitExpr
                | op=('!' | '-' | '~') expr                            # unaryExpr
                | expr op=('*' | '/' | '%') expr                       # binaryExpr
                | expr op=('+' | '-') expr                             # binaryExpr
                | expr op=('<<' | '>>') expr                           # binaryExpr
                | expr op=('<' | '<=' | '>' | '>=') expr               # binaryExpr
                | expr op=('==' | '!=') expr                           # binaryExpr
                | expr op='&' expr                                     # binaryExpr
                | expr op='^' expr                                     # binaryExpr
                | expr op='|' expr                                     # binaryExpr
                | expr op='&&' expr                                    # binaryExpr
                | expr op='||' expr                                    # binaryExpr
                | <assoc=right> expr '?' expr ':' expr                 # conditionalExpr
                ;

primary         : NUMBER                                               # numberLiteral
                | ('true' | 'false')                                   # boolLiteral
                | 'base'                                               # baseRule
                | '(' expr ')'                                         # parenExpr
                | callee=calleeName '(' (expr (',' expr)*)? ')'        # callExpr
                | IDENT ('.' IDENT)?                                   # nameExpr
                ;

// Conversions are spelled like the unit they convert to: pages(x), bytes(x).
calleeName      : IDENT ('.' IDENT)? | 'pages' | 'bytes' ;

keyword         : 'policy' | 'extends' | 'const' | 'base' | 'true' | 'false' | 'pages' | 'bytes'
                | 'test' | 'given' | 'expect' ;

NUMBER  : '0' [xX] [0-9a-fA-F_]+
        | [0-9] [0-9_]* ('.' [0-9]+)? [a-zA-Z%]*
        ;
IDENT   : [a-zA-Z_] [a-zA-Z0-9_]* ;
STRING  : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"' ;
WS      : [ \t\r\n]+ -> channel(HIDDEN) ;
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN) ;
BLOCK_COMMENT : '/*' .*? '*/' -> channel(HIDDEN) ;
// Anything else is one bad character: the parser reports it and carries on.
BAD     : . ;
